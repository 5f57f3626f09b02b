package io.edgecam.matcher.oversight;

import java.time.LocalDate;

/**
 * What became of one UTC day's alerts (by match time): the dashboard's observed false alarms.
 *
 * @param day the UTC day
 * @param alerts alerts raised
 * @param open still pending or confirmed by too few
 * @param verified verified by enough persons
 * @param falseMatches rejected as "false match"
 * @param otherRejections rejected for another reason (poor image, out of scope, other)
 */
public record ReviewDay(
    LocalDate day,
    long alerts,
    long open,
    long verified,
    long falseMatches,
    long otherRejections) {}
