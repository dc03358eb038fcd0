package io.seismo.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The served OpenAPI document and the running app describe exactly the same routes. */
class OpenApiIT {

  @Test
  void shouldDocumentEveryRouteAndNoOther() throws Exception {
    RestClient.Answer answer = new RestClient(TestStack.stack().apiUrl()).get("/openapi.yaml");
    assertThat(answer.status()).isEqualTo(200);
    JsonNode spec = new ObjectMapper(new YAMLFactory()).readTree(answer.body());

    List<String> documented = new ArrayList<>();
    spec.path("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
      if (!operation.getKey().equals("parameters")) {
        documented.add(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
      }
    }));

    List<String> served = new ArrayList<>(TestStack.stack().api().routes());
    served.add("GET /dashboard"); // static files, not a route: check it is really served
    served.add("GET /docs"); // the same (SwaggerUiIT checks its page, its assets and that a browser renders it)
    assertThat(documented).containsExactlyInAnyOrderElementsOf(served);
    RestClient.Answer dashboard = new RestClient(TestStack.stack().apiUrl()).get("/dashboard");
    assertThat(dashboard.status()).isEqualTo(200);
    assertThat(dashboard.body()).contains("<title>Seismo");
    assertThat(spec.path("openapi").asText()).startsWith("3.1");
  }
}
