package io.edgecam.ctl.doctor;

import io.edgecam.agent.config.MqttConfig;
import io.edgecam.agent.publish.PemTls;
import io.edgecam.protocol.EdgecamException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Broker reachability (TCP connect to mqtt.url) and, with mqtt.tls, a TLS handshake with the
 * configured CA and client certificate, plus the expiry of both ends' certificates.
 */
final class BrokerCheck {
  static final String BROKER = "broker";
  static final String TLS = "tls";
  static final Duration TIMEOUT = Duration.ofSeconds(3);

  /** Certificates expiring sooner than this are a WARN. */
  static final Duration EXPIRY_WARNING = Duration.ofDays(30);

  private BrokerCheck() {}

  static CheckResult reachability(MqttConfig mqtt) {
    Endpoint e = Endpoint.of(mqtt.url());
    if (e == null) {
      return CheckResult.fail(BROKER, "mqtt.url: no host:port in " + mqtt.url(), "fix mqtt.url");
    }
    String problem = e.probe(TIMEOUT);
    if (problem != null) {
      return CheckResult.fail(
          BROKER,
          "cannot connect to " + e + " (" + problem + ")",
          "check that the broker runs and the network/firewall lets this device reach it; or fix mqtt.url");
    }
    return CheckResult.ok(BROKER, e + " accepts connections");
  }

  /** Handshake and expiry; call only when mqtt.tls is configured and the broker is reachable. */
  static CheckResult tls(MqttConfig mqtt, Instant now) {
    Endpoint e = Endpoint.of(mqtt.url());
    if (e == null) {
      return CheckResult.fail(TLS, "mqtt.url: no host:port in " + mqtt.url(), "fix mqtt.url");
    }
    List<X509Certificate> checked = new ArrayList<>();
    try {
      if (mqtt.tls().cert() != null) {
        X509Certificate own = PemTls.certificates(mqtt.tls().cert(), "mqtt.tls.cert").get(0);
        if (now.isAfter(own.getNotAfter().toInstant())) {
          return expiry(List.of(own), now, e); // the broker would refuse it anyway
        }
        checked.add(own);
      }
      if (mqtt.tls().ca() != null) {
        // The fleet CA: once it expires, no certificate it signed is accepted any more.
        checked.addAll(PemTls.certificates(mqtt.tls().ca(), "mqtt.tls.ca"));
      }
      SSLContext ctx = PemTls.context(mqtt.tls());
      try (Socket plain = new Socket()) {
        plain.connect(new InetSocketAddress(e.host(), e.port()), (int) TIMEOUT.toMillis());
        plain.setSoTimeout((int) TIMEOUT.toMillis());
        try (SSLSocket s =
            (SSLSocket) ctx.getSocketFactory().createSocket(plain, e.host(), e.port(), false)) {
          SSLParameters p = s.getSSLParameters();
          p.setEndpointIdentificationAlgorithm("HTTPS"); // as the agent's MQTT client does
          s.setSSLParameters(p);
          s.startHandshake();
          Certificate[] peer = s.getSession().getPeerCertificates();
          if (peer.length > 0 && peer[0] instanceof X509Certificate x) {
            checked.add(x);
          }
        }
      }
    } catch (SSLException ex) {
      return CheckResult.fail(
          TLS,
          "handshake with " + e + " failed: " + ex.getMessage(),
          "check mqtt.tls.ca is the CA that signed the broker's certificate, the broker's name"
              + " matches "
              + e.host()
              + ", and (mutual TLS) the broker trusts this device's certificate");
    } catch (IOException ex) {
      return CheckResult.fail(
          TLS,
          "cannot reach " + e + " for the TLS handshake: " + ex.getMessage(),
          "check that the broker runs and listens for TLS on " + e);
    } catch (EdgecamException ex) {
      return CheckResult.fail(
          TLS, ex.getMessage(), "fix the files under mqtt.tls (PEM certificates, PKCS#8 key)");
    }
    return expiry(checked, now, e);
  }

  /** Without a reachable broker: whether the PEM files at least load. */
  static CheckResult material(MqttConfig mqtt) {
    try {
      PemTls.context(mqtt.tls());
    } catch (EdgecamException ex) {
      return CheckResult.fail(
          TLS, ex.getMessage(), "fix the files under mqtt.tls (PEM certificates, PKCS#8 key)");
    }
    return CheckResult.warn(
        TLS,
        "certificates and key load; handshake not tried (broker unreachable)",
        "fix the broker check first");
  }

  private static CheckResult expiry(List<X509Certificate> certs, Instant now, Endpoint e) {
    X509Certificate soonest = null;
    for (X509Certificate c : certs) {
      if (soonest == null || c.getNotAfter().before(soonest.getNotAfter())) {
        soonest = c;
      }
    }
    String detail = "handshake with " + e + " ok";
    if (soonest == null) {
      return CheckResult.ok(TLS, detail);
    }
    Instant end = soonest.getNotAfter().toInstant();
    String who = soonest.getSubjectX500Principal().getName();
    boolean ca = soonest.getBasicConstraints() >= 0;
    String fix =
        ca
            ? "create a new fleet CA (./edgecam ca init), then certify the broker and provision"
                + " every device again (docs/operations.md, \"Certificate renewal\")"
            : "renew it: ./edgecam provision --renew --device ID --site SITE (same id, new"
                + " certificate), or ./edgecam ca broker --force for the broker's";
    if (now.isAfter(end)) {
      return CheckResult.fail(
          TLS,
          detail + " but " + (ca ? "CA " : "") + "certificate " + who + " expired " + end,
          fix);
    }
    long days = Duration.between(now, end).toDays();
    if (Duration.between(now, end).compareTo(EXPIRY_WARNING) < 0) {
      return CheckResult.warn(
          TLS,
          detail
              + "; "
              + (ca ? "CA " : "")
              + "certificate "
              + who
              + " expires in "
              + days
              + " days ("
              + end
              + ")",
          fix + " before then");
    }
    return CheckResult.ok(
        TLS, detail + "; first certificate to expire: " + who + " in " + days + " days");
  }
}
