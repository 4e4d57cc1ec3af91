package dev.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.serving.testkit.Models;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A table of malformed requests: each gets a 4xx with a JSON error, none a 500, and the server lives on. */
class BadInputTest {

    @TempDir
    static Path dir;
    static ServerHarness h;

    @BeforeAll
    static void start() throws Exception {
        h = new ServerHarness(dir);
        Models.linear(h.registry, dir, "credit", 1, 1, 0, "normal");
        Models.typed(h.registry, dir, "typed");
        h.start(c -> c.deployment("credit", Map.of("model", "credit", "version", "1", "entity_keys", List.of("user_id")))
                .deployment("typed", Map.of("model", "typed", "version", "1")));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static Stream<Arguments> bodies() {
        String huge = "{\"entity\": {\"user_id\": \"" + "x".repeat(300 * 1024) + "\"}}";
        return Stream.of(
                Arguments.of("/v1/predict/credit", "", 400),
                Arguments.of("/v1/predict/credit", "not json", 400),
                Arguments.of("/v1/predict/credit", "{", 400),
                Arguments.of("/v1/predict/credit", "[]", 400),
                Arguments.of("/v1/predict/credit", "null", 400),
                Arguments.of("/v1/predict/credit", "42", 400),
                Arguments.of("/v1/predict/credit", "{} {}", 400),
                Arguments.of("/v1/predict/credit", "{\"entity\": []}", 400),
                Arguments.of("/v1/predict/credit", "{\"entity\": {\"user_id\": \"u\"}, \"features\": 3}", 400),
                Arguments.of("/v1/predict/credit", "{\"entity\": {\"user_id\": \"u\"}, \"features\": {\"x1\": \"high\"}}", 400),
                Arguments.of("/v1/predict/credit", "{\"entity\": {\"user_id\": \"u\"}, \"features\": {\"x1\": [1, 2]}}", 400),
                Arguments.of("/v1/predict/credit", "{\"entity\": {\"user_id\": \"u\"}, \"features\": {\"x1\": 1e999}}", 200),
                Arguments.of("/v1/predict/credit", "{\"entity\": {\"user_id\": \"u\"}, \"features\": {\"x1\": 123456789012345678901234567890}}", 200),
                Arguments.of("/v1/predict/credit", "{\"entity\": {\"user_id\": \"u\"}, \"surprise\": 1}", 400),
                Arguments.of("/v1/predict/credit", "{\"requests\": {}}", 400),
                Arguments.of("/v1/predict/credit", "{\"requests\": []}", 400),
                Arguments.of("/v1/predict/credit", "{\"requests\": [1, 2]}", 400),
                Arguments.of("/v1/predict/credit", "{\"requests\": [{\"entity\": {}}]}", 400),
                Arguments.of("/v1/predict/credit", huge, 413),
                Arguments.of("/v1/predict/nope", "{}", 404),
                Arguments.of("/v1/rank/credit", "{}", 400),
                Arguments.of("/v1/rank/credit", "{\"entity\": {\"user_id\": \"u\"}, \"candidate_key\": \"item\", \"candidates\": [{}]}", 400),
                Arguments.of("/v1/rank/credit", "{\"entity\": {\"user_id\": \"u\"}, \"candidate_key\": \"item\", \"candidates\": [\"a\"], \"k\": 0}", 400),
                Arguments.of("/v1/rank/credit", "{\"entity\": {\"user_id\": \"u\"}, \"candidate_key\": \"item\", \"candidates\": [\"a\"], \"k\": 1.5}", 400),
                Arguments.of("/v2/models/credit/infer", "{}", 400),
                Arguments.of("/v2/models/credit/infer", "{\"inputs\": []}", 400),
                Arguments.of("/v2/models/credit/infer", "{\"inputs\": [1]}", 400),
                Arguments.of("/v2/models/credit/infer", "{\"inputs\": [{\"name\": \"input\"}]}", 400),
                Arguments.of("/v2/models/credit/infer", "{\"inputs\": [{\"name\": \"input\", \"datatype\": \"FP99\", \"shape\": [1, 2], \"data\": [1, 2]}]}", 400),
                Arguments.of("/v2/models/credit/infer", "{\"inputs\": [{\"name\": \"input\", \"datatype\": \"FP64\", \"shape\": [-1, 2], \"data\": [1, 2]}]}", 400),
                Arguments.of("/v2/models/credit/infer", "{\"inputs\": [{\"name\": \"input\", \"datatype\": \"FP64\", \"shape\": [1.5], \"data\": [1]}]}", 400),
                Arguments.of("/v2/models/credit/infer", "{\"inputs\": [{\"name\": \"input\", \"datatype\": \"FP64\", \"shape\": [2147483647, 2147483647, 2147483647], \"data\": [1]}]}", 413),
                Arguments.of("/v2/models/credit/infer", "{\"inputs\": [{\"name\": \"input\", \"datatype\": \"FP64\", \"shape\": [1, 2], \"data\": \"12\"}]}", 400),
                Arguments.of("/v2/models/credit/infer", "{\"inputs\": [{\"name\": \"input\", \"datatype\": \"FP64\", \"shape\": [1, 2], \"data\": [[1], [null]]}]}", 400),
                Arguments.of("/v2/models/credit/infer", "{\"inputs\": [{\"name\": \"input\", \"datatype\": \"FP64\", \"shape\": [1, 2], \"data\": [1, 2]}, {\"name\": \"input\", \"datatype\": \"FP64\", \"shape\": [1, 2], \"data\": [1, 2]}]}", 400),
                Arguments.of("/v2/models/credit/infer", "{\"inputs\": [{\"name\": \"input\", \"datatype\": \"INT64\", \"shape\": [1, 2], \"data\": [1, 2]}]}", 400),
                Arguments.of("/v2/models/credit/infer", "{\"inputs\": [{\"name\": \"input\", \"datatype\": \"FP64\", \"shape\": [1, 3], \"data\": [1, 2, 3]}]}", 400),
                Arguments.of("/v2/models/typed/infer", "{\"inputs\": [{\"name\": \"i\", \"datatype\": \"INT32\", \"shape\": [1], \"data\": [99999999999]}]}", 400),
                Arguments.of("/v2/models/typed/infer", "{\"inputs\": [{\"name\": \"b\", \"datatype\": \"BOOL\", \"shape\": [1], \"data\": [1]}]}", 400),
                Arguments.of("/v2/models/typed/infer", "{\"inputs\": [{\"name\": \"s\", \"datatype\": \"BYTES\", \"shape\": [1], \"data\": [5]}]}", 400),
                Arguments.of("/v2/models/credit/versions/abc/infer", "{}", 400),
                Arguments.of("/v2/models/credit/versions/0/infer", "{}", 400),
                Arguments.of("/v2/models/credit/versions/99999999999/infer", "{}", 400));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("bodies")
    void aMalformedRequestGetsAClearErrorAndNever500(String path, String body, int expected) {
        ServerHarness.Reply r = h.post(path, body);

        assertThat(r.status()).as(r.text()).isEqualTo(expected);
        if (expected != 200) {
            assertThat(r.json()).as(r.text()).isNotNull();
            assertThat(r.json().get("error").asText()).isNotBlank();
        }
        assertThat(h.get("/v2/health/live").status()).isEqualTo(200);
    }

    // A body without Content-Length (chunked) is read up to the size limit instead of into an
    // array of the declared size: both paths must answer alike.
    @ParameterizedTest(name = "chunked {0} -> {2}")
    @MethodSource("bodies")
    void theSameBodySentChunkedGetsTheSameAnswer(String path, String body, int expected) {
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ServerHarness.Reply r = h.send(java.net.http.HttpRequest.newBuilder(h.uri(path)).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes))));

        assertThat(r.status()).as(r.text()).isEqualTo(expected);
    }
}
