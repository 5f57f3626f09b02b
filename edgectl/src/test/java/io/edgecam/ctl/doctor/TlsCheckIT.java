package io.edgecam.ctl.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.edgecam.agent.config.MqttConfig;
import io.edgecam.agent.config.TlsConfig;
import io.edgecam.agent.publish.PemTls;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tls check against a JDK TLS server that requires a client certificate; certificates made with
 * openssl (skipped when it is missing).
 */
class TlsCheckIT {
  @TempDir Path dir;
  private final ExecutorService server = Executors.newSingleThreadExecutor();
  private SSLServerSocket socket;

  @AfterEach
  void stop() throws IOException, InterruptedException {
    if (socket != null) {
      socket.close();
    }
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void handshakeWithConfiguredCaAndClientCertWarnsAboutSoonExpiry() throws Exception {
    pki();
    int port = serve();

    CheckResult r = BrokerCheck.tls(mqtt(port, dir.resolve("ca.pem")), Instant.now());

    assertThat(r.status()).as(r.line()).isEqualTo(CheckResult.Status.WARN);
    assertThat(r.detail())
        .contains("handshake with 127.0.0.1:" + port + " ok")
        .contains("expires in");
  }

  @Test
  void caExpiringWithin30DaysIsAWarningNamingTheCa() throws Exception {
    pki("20", "300");
    int port = serve();

    CheckResult r = BrokerCheck.tls(mqtt(port, dir.resolve("ca.pem")), Instant.now());

    assertThat(r.status()).as(r.line()).isEqualTo(CheckResult.Status.WARN);
    assertThat(r.detail()).contains("CA certificate CN=test-ca expires in 19 days");
    assertThat(r.line()).contains("ca init");
  }

  @Test
  void deviceCertificateExpiringWithin30DaysNamesTheRenewal() throws Exception {
    pki("365", "29");
    int port = serve();

    CheckResult r = BrokerCheck.tls(mqtt(port, dir.resolve("ca.pem")), Instant.now());

    assertThat(r.status()).as(r.line()).isEqualTo(CheckResult.Status.WARN);
    assertThat(r.detail()).contains("certificate CN=client expires in 28 days");
    assertThat(r.line()).contains("provision --renew");
  }

  @Test
  void brokerSignedByAnotherCaFailsTheHandshake() throws Exception {
    pki();
    int port = serve();
    openssl(
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "other.key",
        "-out",
        "other.pem",
        "-days",
        "365",
        "-subj",
        "/CN=other-ca");

    CheckResult r = BrokerCheck.tls(mqtt(port, dir.resolve("other.pem")), Instant.now());

    assertThat(r.status()).isEqualTo(CheckResult.Status.FAIL);
    assertThat(r.line())
        .contains("handshake with 127.0.0.1:" + port + " failed")
        .contains("-> check mqtt.tls.ca");
  }

  @Test
  void missingKeyFileFailsNamingIt() throws Exception {
    pki();
    Files.delete(dir.resolve("client.key"));

    CheckResult r = BrokerCheck.material(mqtt(1, dir.resolve("ca.pem")));

    assertThat(r.status()).isEqualTo(CheckResult.Status.FAIL);
    assertThat(r.detail()).contains("client.key: no such file");
  }

  private MqttConfig mqtt(int port, Path ca) {
    return new MqttConfig(
        "ssl://127.0.0.1:" + port,
        null,
        null,
        null,
        new TlsConfig(ca, dir.resolve("client.pem"), dir.resolve("client.key")),
        60,
        8,
        30,
        60);
  }

  /** CA; server certificate for IP 127.0.0.1; client certificate valid 10 days. */
  private void pki() throws Exception {
    pki("365", "10");
  }

  /** Like {@link #pki()} with the CA's and the client certificate's validity in days. */
  private void pki(String caDays, String clientDays) throws Exception {
    openssl(
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        caDays,
        "-subj",
        "/CN=test-ca");
    for (String who : List.of("server", "client")) {
      openssl(
          "req",
          "-newkey",
          "ec",
          "-pkeyopt",
          "ec_paramgen_curve:P-256",
          "-nodes",
          "-keyout",
          who + ".key",
          "-out",
          who + ".csr",
          "-subj",
          "/CN=" + who);
      Files.writeString(
          dir.resolve(who + ".ext"),
          who.equals("server") ? "subjectAltName=IP:127.0.0.1\n" : "extendedKeyUsage=clientAuth\n");
      openssl(
          "x509",
          "-req",
          "-in",
          who + ".csr",
          "-CA",
          "ca.pem",
          "-CAkey",
          "ca.key",
          "-CAcreateserial",
          "-out",
          who + ".pem",
          "-days",
          who.equals("server") ? "365" : clientDays,
          "-extfile",
          who + ".ext");
    }
    openssl(
        "pkcs12",
        "-export",
        "-in",
        "server.pem",
        "-inkey",
        "server.key",
        "-out",
        "server.p12",
        "-passout",
        "pass:secret");
  }

  private int serve() throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(dir.resolve("server.p12"))) {
      ks.load(in, "secret".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "secret".toCharArray());
    SSLContext serverCtx = SSLContext.getInstance("TLS");
    serverCtx.init(kmf.getKeyManagers(), trustManagers(), null); // clients signed by the same CA
    socket = (SSLServerSocket) serverCtx.getServerSocketFactory().createServerSocket(0);
    socket.setNeedClientAuth(true);
    server.submit(
        () -> {
          while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
              ((SSLSocket) s).startHandshake();
            } catch (IOException e) {
              // a plain TCP probe or a refused handshake: next connection
            }
          }
        });
    return socket.getLocalPort();
  }

  private TrustManager[] trustManagers() throws Exception {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", PemTls.certificates(dir.resolve("ca.pem"), "ca").get(0));
    tmf.init(trust);
    return tmf.getTrustManagers();
  }

  private void openssl(String... args) throws Exception {
    if (!Files.isExecutable(Path.of("/usr/bin/openssl"))) {
      Assumptions.abort("openssl is not installed: cannot make test certificates");
    }
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(out).isZero();
  }
}
