package io.edgecam.ctl.demo;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a demo run did; {@code demo --json} prints it as one object.
 *
 * @param frames frames the simulated camera delivered to the pipeline
 * @param faces faces found
 * @param candidates candidates the agent queued for sending (best shots of tracks)
 * @param bytesSent candidate payload bytes acknowledged by the broker
 * @param alerts alerts the matcher raised
 * @param discarded candidates that matched nothing and were discarded (never stored)
 * @param expectedAlerts camera images that show an enrolled person
 * @param enrolled watchlist entries enrolled
 * @param seconds wall time of the run, start of the broker to the last alert
 * @param sealed whether candidates were sealed to the matcher's key ({@code --sealed})
 */
record DemoSummary(
    long frames,
    long faces,
    long candidates,
    @JsonProperty("bytes_sent") long bytesSent,
    long alerts,
    long discarded,
    @JsonProperty("expected_alerts") int expectedAlerts,
    int enrolled,
    double seconds,
    boolean sealed) {}
