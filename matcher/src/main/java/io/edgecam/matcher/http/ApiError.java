package io.edgecam.matcher.http;

import org.jspecify.annotations.Nullable;

/**
 * A request the API refuses, turned into a JSON error response {@code {"error": CODE, "message":
 * ..., "field": ...}} by {@link ApiHandler}. Thrown by handlers; never leaves the package.
 */
final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;
  final String code;
  final @Nullable String field;

  ApiError(int status, String code, String message, @Nullable String field) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.field = field;
  }

  /** 400: {@code field} of the request is missing or invalid. */
  static ApiError badField(String field, String message) {
    return new ApiError(400, "invalid", message, field);
  }

  /** 400 without a single field to blame. */
  static ApiError badRequest(String message) {
    return new ApiError(400, "invalid", message, null);
  }

  static ApiError unauthorized(String message) {
    return new ApiError(401, "unauthorized", message, null);
  }

  static ApiError forbidden(String message) {
    return new ApiError(403, "forbidden", message, null);
  }

  static ApiError notFound(String message) {
    return new ApiError(404, "not_found", message, null);
  }

  static ApiError conflict(String message) {
    return new ApiError(409, "conflict", message, null);
  }

  static ApiError tooLarge(String message) {
    return new ApiError(413, "too_large", message, null);
  }
}
