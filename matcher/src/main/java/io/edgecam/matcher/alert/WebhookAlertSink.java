package io.edgecam.matcher.alert;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * POSTs each verified alert as JSON ({@link VerifiedAlert#json()}: the document of {@code
 * edgecam/v1/alerts} plus who verified it) to a URL. Runs on the dispatcher's thread; a failure or
 * non-2xx answer is thrown and logged by the dispatcher.
 */
public final class WebhookAlertSink implements Consumer<VerifiedAlert> {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final URI url;
  private final HttpClient http;

  public WebhookAlertSink(URI url) {
    this.url = url;
    this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  @Override
  public void accept(VerifiedAlert verified) {
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(verified.json()))
            .build();
    try {
      HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException(
            "webhook " + url + " answered HTTP " + response.statusCode());
      }
    } catch (IOException e) {
      throw new IllegalStateException("webhook " + url + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("webhook " + url + " interrupted", e);
    }
  }
}
