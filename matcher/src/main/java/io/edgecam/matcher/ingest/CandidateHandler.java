package io.edgecam.matcher.ingest;

/**
 * Receives every message that arrives on the candidates subscription. Called on the MQTT client's
 * callback thread, one message at a time; the message is acknowledged (PUBACK) only after this
 * returns, so an exception leaves it to be redelivered.
 */
@FunctionalInterface
public interface CandidateHandler {
  void handle(String topic, byte[] payload);
}
