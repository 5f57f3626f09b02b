package io.edgecam.matcher.cli;

import io.edgecam.face.pipeline.EmbedderKind;
import io.edgecam.face.pipeline.PipelineConfig;
import io.edgecam.face.pipeline.Precision;
import io.edgecam.matcher.Watchlist;
import io.edgecam.matcher.audit.AuditLog;
import io.edgecam.matcher.config.ThresholdConfig;
import io.edgecam.matcher.config.WatchlistConfig;
import io.edgecam.matcher.enroll.Enrollment;
import io.edgecam.matcher.enroll.EnrollmentRequest;
import io.edgecam.matcher.enroll.ImageEmbedder;
import io.edgecam.matcher.enroll.PipelineImageEmbedder;
import io.edgecam.matcher.index.ExactWatchlistIndex;
import io.edgecam.matcher.store.MatcherStore;
import io.edgecam.matcher.watchlist.Authorization;
import io.edgecam.matcher.watchlist.WatchlistEntry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code edgecam enroll}: computes embeddings of a person's images with the camera's face pipeline
 * and stores a watchlist entry. A running matcher on the same store picks it up within 10 s.
 */
@Command(
    name = "enroll",
    mixinStandardHelpOptions = true,
    description =
        "Enroll a person on the watchlist from face images (legal basis and expiry are mandatory).")
public final class EnrollCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--id",
      required = true,
      description = "Watchlist id (pseudonymous; sent to devices).")
  String id;

  @Option(names = "--label", required = true, description = "Display name for operators.")
  String label;

  @Option(names = "--legal-basis", description = "Why this person may be searched for (required).")
  @Nullable String legalBasis;

  @Option(
      names = "--expires",
      paramLabel = "YYYY-MM-DD",
      description = "Date from which the entry stops matching (required, in the future).")
  @Nullable LocalDate expires;

  @Option(
      names = "--threshold",
      description = "Cosine threshold for this entry (default: the global one).")
  @Nullable Double threshold;

  @Option(
      names = "--authorised-by",
      paramLabel = "BODY",
      description = "Who authorised the search (a court, an authority).")
  @Nullable String authorisedBy;

  @Option(
      names = "--authorisation-ref",
      paramLabel = "REF",
      description = "Reference of the authorisation (case number, decision id).")
  @Nullable String authorisationRef;

  @Option(
      names = "--sites",
      paramLabel = "SITE",
      split = ",",
      description = "Sites where the entry may match (default: every site); comma-separated.")
  List<String> sites = new ArrayList<>();

  @Option(
      names = "--devices",
      paramLabel = "DEVICE",
      split = ",",
      description = "Devices where the entry may match (default: every device of the sites).")
  List<String> devices = new ArrayList<>();

  @Option(
      names = "--window-from",
      paramLabel = "WHEN",
      description = "The entry matches from then on: YYYY-MM-DD (00:00 UTC) or an ISO instant.")
  @Nullable String windowFrom;

  @Option(
      names = "--window-until",
      paramLabel = "WHEN",
      description = "The entry matches only before then: YYYY-MM-DD (00:00 UTC) or an ISO instant.")
  @Nullable String windowUntil;

  @Option(
      names = "--created-by",
      defaultValue = "${sys:user.name}",
      description = "Operator (default: ${DEFAULT-VALUE}).")
  String createdBy;

  @Option(
      names = "--embedder",
      paramLabel = "mobilefacenet|faceapi-resnet34",
      defaultValue = "mobilefacenet",
      converter = EmbedderConverter.class,
      description =
          "Face embedder of the cameras this entry is for; entries only match candidates of the"
              + " same model tag (default: ${DEFAULT-VALUE}).")
  EmbedderKind embedder = EmbedderKind.MOBILEFACENET;

  @Mixin StoreOptions store;

  @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "Images with the person's face.")
  List<Path> images;

  private final @Nullable Supplier<ImageEmbedder> embedders;

  /**
   * Enrolls with the float face pipeline of {@code --embedder}: the reference precision, which the
   * cameras' int8 variant is checked against, and the fast one on x86 servers (FACTS.md).
   */
  public EnrollCommand() {
    this.embedders = null;
  }

  /** Enrolls with embedders from {@code embedders} (tests pass a fake). */
  public EnrollCommand(Supplier<ImageEmbedder> embedders) {
    this.embedders = embedders;
  }

  private ImageEmbedder openEmbedder() {
    return embedders != null
        ? embedders.get()
        : PipelineImageEmbedder.open(
            PipelineConfig.defaults().withPrecision(Precision.FLOAT).withEmbedder(embedder));
  }

  /** {@code mobilefacenet} or {@code faceapi-resnet34}. */
  static final class EmbedderConverter implements ITypeConverter<EmbedderKind> {
    @Override
    public EmbedderKind convert(String value) {
      try {
        return EmbedderKind.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  @Override
  public Integer call() {
    var cl = spec.commandLine();
    if (threshold != null) {
      try {
        ThresholdConfig.requireThreshold("--threshold", threshold);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.ParameterException(cl, e.getMessage());
      }
    }
    if (embedder != EmbedderKind.MOBILEFACENET && threshold == null) {
      // The matcher's global threshold is a MobileFaceNet cosine; this model's impostors score
      // ~0.84 (docs/accuracy.md), so without its own threshold the entry would match strangers.
      throw new picocli.CommandLine.ParameterException(
          cl,
          "--embedder "
              + embedder.modelName()
              + " needs --threshold: its cosines for different people average ~0.84, so the"
              + " global threshold (set for mobilefacenet) would match strangers; see"
              + " docs/accuracy.md (0.94 rejected every impostor pair of ../shared/data/faces)");
    }
    EnrollmentRequest request =
        new EnrollmentRequest(id, label, legalBasis, expires, threshold, createdBy, images);
    Clock clock = Clock.systemUTC();
    // Check what needs no model before loading one.
    if (legalBasis == null || legalBasis.isBlank() || expires == null) {
      Enrollment.enroll(request, failing(), clock);
    }
    WatchlistConfig policy = store.watchlistPolicy(cl);
    String policyError = policy.legalBasisError(legalBasis);
    if (policyError != null) {
      throw new picocli.CommandLine.ParameterException(cl, "--legal-basis: " + policyError);
    }
    Instant expiresAt = expires.atStartOfDay(ZoneOffset.UTC).toInstant();
    // A past expiry is Enrollment's to name; the retention limit is about the future.
    policyError =
        expiresAt.isAfter(clock.instant()) ? policy.expiryError(expiresAt, clock.instant()) : null;
    if (policyError != null) {
      throw new picocli.CommandLine.ParameterException(cl, "--expires: " + policyError);
    }
    Authorization authorization;
    try {
      authorization =
          new Authorization(
              authorisedBy,
              authorisationRef,
              sites,
              devices,
              when("--window-from", windowFrom),
              when("--window-until", windowUntil));
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(cl, e.getMessage());
    }
    WatchlistEntry entry;
    try (ImageEmbedder embedder = openEmbedder()) {
      entry = Enrollment.enroll(request, embedder, clock).withAuthorization(authorization);
    }
    try (MatcherStore s = MatcherStore.open(store.resolve(cl))) {
      AuditLog audit = AuditLog.open(s.audit(), store.audit(cl), clock);
      new Watchlist(
              s, new ExactWatchlistIndex(), ThresholdConfig.DEFAULT_GLOBAL, clock, audit, policy)
          .enroll(entry);
      cl.getOut()
          .printf(
              "enrolled %s (%d embeddings, expires %s) in %s%n",
              entry.id(), entry.embeddings().size(), expires, s);
    }
    return 0;
  }

  private @Nullable Instant when(String option, @Nullable String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return value.length() == 10
          ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
          : Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          option
              + " must be YYYY-MM-DD or an instant like 2026-03-01T08:00:00Z, was '"
              + value
              + "'");
    }
  }

  private static ImageEmbedder failing() {
    return new ImageEmbedder() {
      @Override
      public String modelTag() {
        throw new IllegalStateException("not reached: the request is refused first");
      }

      @Override
      public FaceEmbedding embedBest(Path image) {
        throw new IllegalStateException("not reached: the request is refused first");
      }

      @Override
      public void close() {}
    };
  }
}
