package io.edgecam.mqtt;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.util.MqttTopicValidator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@link PahoMqttLink#subscribe} call: sent on every connection of its link until closed.
 * Thread-safe.
 */
final class PahoSubscription implements MqttLink.Subscription {
  private static final Logger log = LoggerFactory.getLogger(PahoSubscription.class);

  private final PahoMqttLink link;
  private final int qos;
  private final BiConsumer<String, byte[]> handler;
  private final String[] filters;
  private volatile CompletableFuture<Void> acknowledged = new CompletableFuture<>();
  private volatile @Nullable MqttAsyncClient sentOn;
  private volatile boolean closed;

  PahoSubscription(
      PahoMqttLink link, int qos, BiConsumer<String, byte[]> handler, String[] filters) {
    this.link = link;
    this.qos = qos;
    this.handler = handler;
    this.filters = filters;
  }

  BiConsumer<String, byte[]> handler() {
    return handler;
  }

  /** Subscribes on {@code c} unless already sent there; completes {@link #acknowledged}. */
  synchronized void send(MqttAsyncClient c) {
    if (closed || sentOn == c) {
      return;
    }
    sentOn = c;
    CompletableFuture<Void> ack = acknowledged;
    if (ack.isDone()) {
      ack = new CompletableFuture<>();
      acknowledged = ack;
    }
    MqttSubscription[] subs = new MqttSubscription[filters.length];
    for (int i = 0; i < filters.length; i++) {
      subs[i] = new MqttSubscription(filters[i], qos);
    }
    CompletableFuture<Void> done = ack;
    try {
      c.subscribe(
          subs,
          null,
          new MqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
              int[] codes = token.getReasonCodes();
              for (int code : codes == null ? new int[0] : codes) {
                if (code >= PahoMqttLink.FIRST_FAILURE_REASON) {
                  done.completeExceptionally(
                      new MqttLinkException(
                          "broker refused subscription to "
                              + String.join(", ", filters)
                              + " with reason code 0x"
                              + Integer.toHexString(code)));
                  return;
                }
              }
              done.complete(null);
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
              done.completeExceptionally(
                  new MqttLinkException("subscribe failed: " + e.getMessage(), e));
            }
          },
          new MqttProperties());
    } catch (MqttException e) {
      done.completeExceptionally(
          new MqttLinkException("subscribe failed: " + PahoMqttLink.describe(e), e));
    }
  }

  /** The connection it was sent on is gone: a later acknowledgement is for the next one. */
  synchronized void lost(MqttAsyncClient c) {
    if (sentOn == c) {
      sentOn = null;
      if (acknowledged.isDone()) {
        acknowledged = new CompletableFuture<>();
      }
    }
  }

  boolean matches(String topic) {
    if (closed) {
      return false;
    }
    for (String f : filters) {
      if (MqttTopicValidator.isMatched(f, topic)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public CompletableFuture<Void> acknowledged() {
    return acknowledged;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    link.remove(this);
    MqttAsyncClient c = link.connectedClient();
    if (c != null) {
      try {
        c.unsubscribe(filters);
      } catch (MqttException e) {
        log.debug(
            "unsubscribe from {} failed: {}", String.join(", ", filters), PahoMqttLink.describe(e));
      }
    }
  }
}
