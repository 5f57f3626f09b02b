package io.edgecam.ctl.provision;

import io.edgecam.protocol.Ids;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Who a certificate of the fleet CA identifies. The certificate's common name is {@link #name()}
 * (Mosquitto's {@code use_identity_as_username} makes it the MQTT user name, which the ACL
 * matches); its URI subject alternative name ({@link #uri()}) says role and site machine-readably,
 * which is what {@code ca acl} reads back.
 *
 * @param role device, matcher or broker
 * @param name device id, matcher id, or the broker's first host name
 * @param site the device's site; null for matchers and brokers
 * @param hosts the broker's DNS names and IP addresses; empty for clients
 */
public record Identity(Role role, String name, @Nullable String site, List<String> hosts) {
  private static final Pattern DNS =
      Pattern.compile(
          "(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

  /** What the certificate is for. */
  public enum Role {
    /** A camera: TLS client, publishes under its own id. */
    DEVICE,
    /** A matcher: TLS client, reads candidates, writes alerts. */
    MATCHER,
    /** The MQTT broker: TLS server. */
    BROKER;

    String lower() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Device ids the broker ACL cannot tell apart from other topic levels: the update topics of a
   * site ({@link Ids#RESERVED_DEVICE_IDS} and {@code updates}), and {@code alerts}.
   */
  static final List<String> RESERVED_NAMES = List.of("updates", "alerts");

  public Identity {
    hosts = List.copyOf(hosts);
    switch (role) {
      case DEVICE -> {
        Ids.requireDevice("device id", name);
        if (RESERVED_NAMES.contains(name)) {
          throw new IllegalArgumentException(
              "device id must not be one of "
                  + RESERVED_NAMES
                  + " (topic levels), was '"
                  + name
                  + "'");
        }
        Ids.require("site", site);
      }
      case MATCHER -> {
        Ids.require("matcher id", name);
        if (site != null) {
          throw new IllegalArgumentException("a matcher has no site");
        }
      }
      case BROKER -> {
        if (hosts.isEmpty()) {
          throw new IllegalArgumentException("a broker certificate needs at least one host");
        }
        for (String h : hosts) {
          if (!isIp(h) && !DNS.matcher(h).matches()) {
            throw new IllegalArgumentException("not a DNS name or IP address: '" + h + "'");
          }
        }
      }
    }
    if (role != Role.BROKER && !hosts.isEmpty()) {
      throw new IllegalArgumentException("only a broker certificate names hosts");
    }
  }

  public static Identity device(String id, String site) {
    return new Identity(Role.DEVICE, id, site, List.of());
  }

  public static Identity matcher(String id) {
    return new Identity(Role.MATCHER, id, null, List.of());
  }

  public static Identity broker(List<String> hosts) {
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("a broker certificate needs at least one host");
    }
    return new Identity(Role.BROKER, hosts.get(0), null, hosts);
  }

  /**
   * {@code urn:edgecam:device:{site}:{id}}, {@code urn:edgecam:matcher:{id}} or {@code
   * urn:edgecam:broker:{name}}; ids cannot contain ':'.
   */
  public String uri() {
    return "urn:edgecam:" + role.lower() + ":" + (site == null ? "" : site + ":") + name;
  }

  /** Parses {@link #uri()}; null if {@code uri} is not an edgecam identity. */
  public static @Nullable Identity fromUri(String uri, List<String> hosts) {
    String[] p = uri.split(":", -1);
    if (p.length < 4 || !p[0].equals("urn") || !p[1].equals("edgecam")) {
      return null;
    }
    try {
      return switch (p[2]) {
        case "device" -> p.length == 5 ? device(p[4], p[3]) : null;
        case "matcher" -> p.length == 4 ? matcher(p[3]) : null;
        case "broker" -> p.length == 4 ? new Identity(Role.BROKER, p[3], null, hosts) : null;
        default -> null;
      };
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** A literal IPv4 or IPv6 address; never looks up a name. */
  static boolean isIp(String host) {
    if (host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
      for (String part : host.split("\\.")) {
        if (Integer.parseInt(part) > 255) {
          return false;
        }
      }
      return true;
    }
    if (!host.contains(":") || !host.matches("[0-9A-Fa-f:.]+")) {
      return false;
    }
    try {
      InetAddress.getByName(host); // a literal with ':' is parsed, never resolved
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** For messages: {@code device cam-01 (site site-1)}. */
  public String describe() {
    return role.lower() + " " + name + (site == null ? "" : " (site " + site + ")");
  }
}
