package io.edgecam.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.face.image.TestData;
import io.edgecam.matcher.audit.AuditAction;
import io.edgecam.testing.ConfigSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The docs (README.md, docs/*.md) name only modules, commands and config keys that exist, checked
 * against the code: the Maven modules of the root POM, the picocli command tree of {@code edgecam}
 * and the config schemas (device-config/schema, which the config tests hold equal to the config
 * records). A renamed or removed command, module or key fails here until the docs follow.
 */
class DocsNameWhatExistsTest {
  private static final Pattern CODE_SPAN = Pattern.compile("`([^`\n]+)`");
  private static final Pattern COMMAND =
      Pattern.compile("(?:^|\\s|\\./)edgecam ((?!edgecam )[^`]*)");
  private static final Pattern WORD = Pattern.compile("[a-z][a-z0-9-]*");
  private static final Pattern DOTTED = Pattern.compile("[a-z][A-Za-z0-9]*(\\.[a-z][A-Za-z0-9]*)+");

  /** File names and manifest fields written like keys: {@code audit.key}, {@code source.npm}. */
  private static final Set<String> NOT_KEY_SUFFIXES = Set.of("key", "pub", "pem", "npm", "json");

  private static Path root;
  private static Map<Path, String> docs;

  @BeforeAll
  static void read() throws IOException {
    root = TestData.root();
    docs = new java.util.LinkedHashMap<>();
    docs.put(root.resolve("README.md"), Files.readString(root.resolve("README.md")));
    try (Stream<Path> files = Files.list(root.resolve("docs"))) {
      for (Path f : files.filter(f -> f.toString().endsWith(".md")).sorted().toList()) {
        docs.put(f, Files.readString(f));
      }
    }
  }

  @Test
  void everyCommandTheDocsShowExists() {
    CommandLine tree = EdgecamCli.commandLine();
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (Map.Entry<Path, String> doc : docs.entrySet()) {
      for (String code : codeOf(doc.getValue())) {
        Matcher m = COMMAND.matcher(code);
        while (m.find()) {
          checked++;
          String problem = walk(tree, m.group(1));
          if (problem != null) {
            wrong.add(name(doc.getKey()) + ": `edgecam " + m.group(1).strip() + "`: " + problem);
          }
        }
      }
    }
    assertThat(checked).as("commands found in the docs").isGreaterThan(50);
    assertThat(wrong)
        .as("commands named in the docs that the command tree does not have")
        .isEmpty();
  }

  @Test
  void readmeListsEveryTopLevelCommand() {
    String readme = docs.get(root.resolve("README.md"));
    List<String> missing =
        EdgecamCli.commandLine().getSubcommands().keySet().stream()
            .filter(c -> !c.equals("help"))
            .filter(c -> !Pattern.compile("`\\./edgecam " + c + "[ `\\\\]").matcher(readme).find())
            .toList();
    assertThat(missing).as("top-level commands without a `./edgecam NAME` in README.md").isEmpty();
  }

  @Test
  void moduleTablesNameExactlyTheMavenModules() throws IOException {
    Set<String> modules = new TreeSet<>();
    Matcher m =
        Pattern.compile("<module>([^<]+)</module>")
            .matcher(Files.readString(root.resolve("pom.xml")));
    while (m.find()) {
      modules.add(m.group(1));
    }
    assertThat(modules).contains("protocol", "matcher", "edge-agent", "testing");

    String architecture = docs.get(root.resolve("docs/architecture.md"));
    assertThat(firstColumn(section(architecture, "## Modules"), "`([a-z-]+)`"))
        .as("docs/architecture.md module table")
        .isEqualTo(modules);
    Set<String> layout =
        firstColumn(section(docs.get(root.resolve("README.md")), "## Layout"), "`([a-z-]+)/`");
    assertThat(layout).as("README.md layout table").containsAll(modules);
    for (String path : layout) {
      assertThat(root.resolve(path)).as("README.md layout names %s/", path).isDirectory();
    }
  }

  @Test
  void everyConfigKeyTheDocsNameExists() throws IOException {
    Path schemas = root.resolve("device-config/schema");
    Set<String> agent = ConfigSchema.load(schemas.resolve("agent.schema.json")).keys();
    Set<String> matcher = ConfigSchema.load(schemas.resolve("matcher.schema.json")).keys();
    Set<String> auditActions = new HashSet<>();
    for (AuditAction a : AuditAction.values()) {
      auditActions.add(a.key());
    }
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (Map.Entry<Path, String> doc : docs.entrySet()) {
      for (String code : codeOf(doc.getValue())) {
        if (!DOTTED.matcher(code).matches()
            || auditActions.contains(code)
            || NOT_KEY_SUFFIXES.contains(code.substring(code.lastIndexOf('.') + 1))) {
          continue;
        }
        String top = code.substring(0, code.indexOf('.'));
        boolean agentKey = agent.contains(top);
        boolean matcherKey = matcher.contains(top);
        if (!agentKey && !matcherKey) {
          continue; // not written as a config key (a package, a topic level, a field)
        }
        checked++;
        if (!(agentKey && agent.contains(code)) && !(matcherKey && matcher.contains(code))) {
          wrong.add(name(doc.getKey()) + ": `" + code + "`");
        }
      }
    }
    assertThat(checked).as("config keys found in the docs").isGreaterThan(50);
    assertThat(wrong)
        .as("config keys named in the docs that agent.yaml and matcher.yaml do not have")
        .isEmpty();
  }

  /**
   * Follows {@code words} down the command tree. Pipes give alternatives ({@code keys|repo}, {@code
   * model rollout\|watchlist rollout}): an alternative may also start again at the top. Stops at
   * the first argument (an option, a placeholder, a value).
   *
   * @return what is wrong, or null
   */
  private static String walk(CommandLine root, String words) {
    Set<CommandLine> at = Set.of(root);
    for (String token : words.strip().split("\\s+")) {
      String[] alternatives = token.replace("\\|", "|").split("\\|", -1);
      boolean piped = alternatives.length > 1;
      if (!Stream.of(alternatives).allMatch(a -> WORD.matcher(a).matches())) {
        return null;
      }
      if (!piped && at.stream().allMatch(c -> c.getSubcommands().isEmpty())) {
        return null; // an argument of a leaf command
      }
      Set<CommandLine> next = new LinkedHashSet<>();
      for (String a : alternatives) {
        boolean found = false;
        for (CommandLine c : at) {
          if (c.getSubcommands().containsKey(a)) {
            next.add(c.getSubcommands().get(a));
            found = true;
          }
        }
        if (!found && piped && root.getSubcommands().containsKey(a)) {
          next.add(root.getSubcommands().get(a));
          found = true;
        }
        if (!found) {
          if (!piped
              && at.stream().anyMatch(c -> !c.getCommandSpec().positionalParameters().isEmpty())) {
            return null; // a positional argument
          }
          return "no command '" + a + "' under " + names(at);
        }
      }
      at = next;
    }
    return null;
  }

  private static String names(Set<CommandLine> commands) {
    return commands.stream().map(c -> c.getCommandSpec().qualifiedName()).toList().toString();
  }

  /** Inline code spans and the lines of fenced code blocks. */
  private static List<String> codeOf(String markdown) {
    List<String> out = new ArrayList<>();
    boolean fenced = false;
    for (String line : markdown.split("\n")) {
      if (line.strip().startsWith("```")) {
        fenced = !fenced;
      } else if (fenced) {
        out.add(line.replaceAll("#.*", ""));
      } else {
        Matcher m = CODE_SPAN.matcher(line);
        while (m.find()) {
          out.add(m.group(1));
        }
      }
    }
    return out;
  }

  /** The text from {@code heading} to the next heading of the same level. */
  private static String section(String markdown, String heading) {
    int start = markdown.indexOf("\n" + heading + "\n");
    assertThat(start).as("heading %s", heading).isNotNegative();
    int end = markdown.indexOf("\n" + heading.substring(0, heading.indexOf(' ') + 1), start + 1);
    return markdown.substring(start, end < 0 ? markdown.length() : end);
  }

  /** The first cell of every table row, by {@code cell}'s group 1. */
  private static Set<String> firstColumn(String text, String cell) {
    Set<String> out = new TreeSet<>();
    Pattern p = Pattern.compile("^\\| " + cell + " \\|", Pattern.MULTILINE);
    Matcher m = p.matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static String name(Path doc) {
    return root.relativize(doc).toString();
  }
}
