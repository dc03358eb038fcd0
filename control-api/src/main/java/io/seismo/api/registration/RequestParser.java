package io.seismo.api.registration;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.seismo.api.error.Problem.FieldError;
import io.seismo.api.error.ProblemException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a request body into a {@link RegistrationRequest}, or a 400 problem naming the bad field. Strict:
 * unknown fields, wrong JSON types and coercions ("5" for a number) are errors.
 */
final class RequestParser {

  private static final List<String> FIELDS = Arrays.stream(RegistrationRequest.class.getRecordComponents())
      .map(c -> c.getName()).toList();
  private static final ObjectMapper MAPPER = strictMapper();
  private static final Pattern QUOTED_INPUT = Pattern.compile("'(?:null|true|false)'|'[^'\\r\\n]{2,}'");
  private static final Pattern DUPLICATE = Pattern.compile("Duplicate (?:field|Object property) '(.*)'", Pattern.DOTALL);

  private RequestParser() {}

  static RegistrationRequest parse(byte[] body) {
    if (body == null || body.length == 0) {
      throw ProblemException.badRequest("the request body is empty; send a JSON object", List.of());
    }
    try {
      RegistrationRequest request = MAPPER.readValue(body, RegistrationRequest.class);
      if (request == null) {
        throw ProblemException.badRequest("the request body must be a JSON object, not null", List.of());
      }
      return request;
    } catch (UnrecognizedPropertyException e) {
      throw ProblemException.badRequest("unknown field '" + e.getPropertyName() + "'",
          List.of(new FieldError(e.getPropertyName(), "is not a field of a registration; known fields: "
              + String.join(", ", FIELDS))));
    } catch (InvalidFormatException e) {
      String field = path(e);
      String shown = field.startsWith("headers") ? "" : " " + e.getValue(); // a header value may be a secret
      throw ProblemException.badRequest("field '" + field + "' has an invalid value",
          List.of(new FieldError(field, "invalid value" + shown + expected(e))));
    } catch (MismatchedInputException e) {
      String field = path(e);
      if (field.isEmpty()) {
        throw ProblemException.badRequest("the request body must be a JSON object", List.of());
      }
      throw ProblemException.badRequest("field '" + field + "' has the wrong type",
          List.of(new FieldError(field, "wrong JSON type" + expected(e))));
    } catch (JsonProcessingException e) {
      Matcher duplicate = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
      if (duplicate.matches()) {
        String field = duplicatePath(e, duplicate.group(1));
        throw ProblemException.badRequest("duplicate field '" + field + "'",
            List.of(new FieldError(field, "appears more than once; send each field once")));
      }
      throw ProblemException.badRequest("the request body is not valid JSON: "
          + withoutInput(String.valueOf(e.getOriginalMessage())) + location(e), List.of());
    } catch (IOException e) {
      throw ProblemException.badRequest("the request body could not be read: " + e.getMessage(), List.of());
    }
  }

  /** The dotted path of a duplicated key, from the parser's context when the duplicate was read. */
  private static String duplicatePath(JsonProcessingException e, String name) {
    List<String> parts = new ArrayList<>(List.of(name));
    if (e.getProcessor() instanceof JsonParser parser) {
      for (JsonStreamContext context = parser.getParsingContext().getParent();
           context != null && !context.inRoot(); context = context.getParent()) {
        if (context.inArray()) {
          parts.addFirst("[" + context.getCurrentIndex() + "]");
        } else if (context.getCurrentName() != null) {
          parts.addFirst(context.getCurrentName());
        }
      }
    }
    return String.join(".", parts).replace(".[", "[");
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining(".")).replace(".[", "[");
  }

  private static String expected(MismatchedInputException e) {
    Class<?> target = e.getTargetType();
    if (target == null) {
      return "";
    }
    if (target.isEnum()) {
      return "; expected one of " + Arrays.toString(target.getEnumConstants());
    }
    if (target == Long.class || target == long.class || target == Integer.class) {
      return "; expected an integer";
    }
    if (target == Boolean.class || target == boolean.class) {
      return "; expected true or false";
    }
    if (target == String.class) {
      return "; expected a string";
    }
    if (Map.class.isAssignableFrom(target)) {
      return "; expected an object of string values";
    }
    if (List.class.isAssignableFrom(target)) {
      return "; expected an array of strings";
    }
    return "; expected " + target.getSimpleName();
  }

  /**
   * A parser message without the text it quotes from the body ("Unrecognized token 'sk_live_…'"): an
   * unquoted header value is a secret all the same. Single characters and JSON literals stay.
   */
  static String withoutInput(String message) {
    return QUOTED_INPUT.matcher(message).replaceAll(quoted -> quoted.group().matches("'(?:null|true|false)'")
        ? quoted.group() : "'…'");
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null ? ""
        : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
  }

  private static ObjectMapper strictMapper() {
    JsonMapper mapper = JsonMapper.builder()
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .build();
    mapper.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Boolean)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    return mapper;
  }
}
