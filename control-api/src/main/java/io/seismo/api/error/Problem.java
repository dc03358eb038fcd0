package io.seismo.api.error;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** An RFC 9457 problem detail, served as {@code application/problem+json}. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {

  /** Always UTF-8: without a charset, servlet containers encode text as ISO-8859-1. */
  public static final String CONTENT_TYPE = "application/problem+json;charset=utf-8";

  /** One invalid field of a request body. */
  public record FieldError(String field, String message) {}
}
