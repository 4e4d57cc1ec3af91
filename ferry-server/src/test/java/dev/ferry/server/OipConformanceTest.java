package dev.ferry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.serving.testkit.Models;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Open Inference Protocol v2 REST surface, checked against the protocol's documented shapes. */
class OipConformanceTest {

    @TempDir
    Path dir;
    ServerHarness h;

    @BeforeEach
    void setUp() throws Exception {
        h = new ServerHarness(dir);
        Models.typed(h.registry, dir, "typed");
        Models.typed(h.registry, dir, "typed"); // version 2, registered but never deployed
        Models.linear(h.registry, dir, "credit", 0.5, -1, 2, "normal");
        h.start(c -> c.deployment("typed", Map.of("model", "typed", "version", "1"))
                .deployment("credit", Map.of("model", "credit", "version", "1")));
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    /** An infer body for the typed model: one row of every datatype. */
    private static String typedBody(String d, String dDatatype, String v) {
        return """
                {"id": "req-7",
                 "inputs": [
                  {"name": "b", "datatype": "BOOL", "shape": [2], "data": [true, false]},
                  {"name": "i", "datatype": "INT32", "shape": [2], "data": [1, 2]},
                  {"name": "l", "datatype": "INT64", "shape": [2], "data": [10, 20]},
                  {"name": "f", "datatype": "FP32", "shape": [2], "data": [0.5, 0.25]},
                  {"name": "d", "datatype": "%s", "shape": [2], "data": %s},
                  {"name": "s", "datatype": "BYTES", "shape": [2], "data": ["abc", ""]},
                  {"name": "v", "datatype": "FP32", "shape": [2, 3], "data": %s}]}
                """.formatted(dDatatype, d, v);
    }

    @Test
    void healthAndServerMetadataFollowTheProtocol() {
        ServerHarness.Reply live = h.get("/v2/health/live");
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.json().get("live").asBoolean()).isTrue();
        ServerHarness.Reply ready = h.get("/v2/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("ready").asBoolean()).isTrue();
        JsonNode meta = h.get("/v2").json();
        assertThat(meta.get("name").asText()).isEqualTo("ferry");
        assertThat(meta.get("version").isTextual()).isTrue();
        assertThat(meta.get("extensions").isArray()).isTrue();
    }

    @Test
    void modelMetadataListsTypedTensorsWithVariableDimensions() {
        JsonNode m = h.get("/v2/models/credit").json();
        assertThat(m.get("name").asText()).isEqualTo("credit");
        assertThat(m.get("versions").get(0).asText()).isEqualTo("1");
        assertThat(m.get("platform").asText()).isEqualTo("onnx_onnxv1");
        assertThat(m.get("inputs").get(0).toString()).isEqualTo("{\"name\":\"input\",\"datatype\":\"FP64\",\"shape\":[-1,2]}");
        assertThat(m.get("outputs").get(0).toString()).isEqualTo("{\"name\":\"score\",\"datatype\":\"FP64\",\"shape\":[-1,1]}");
        JsonNode typed = h.get("/v2/models/typed/versions/1").json();
        List<String> datatypes = new ArrayList<>();
        typed.get("inputs").forEach(i -> datatypes.add(i.get("datatype").asText()));
        assertThat(datatypes).containsExactly("BOOL", "INT32", "INT64", "FP32", "FP64", "BYTES", "FP32");
    }

    @Test
    void readinessIsReportedPerModelAndVersion() {
        assertThat(h.get("/v2/models/typed/ready").json().get("ready").asBoolean()).isTrue();
        assertThat(h.get("/v2/models/typed/versions/1/ready").json().get("ready").asBoolean()).isTrue();
        ServerHarness.Reply notLoaded = h.get("/v2/models/typed/versions/2/ready");
        assertThat(notLoaded.status()).isEqualTo(200);
        assertThat(notLoaded.json().get("ready").asBoolean()).isFalse();
        ServerHarness.Reply unknown = h.get("/v2/models/nothing/ready");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("error").asText()).contains("nothing");
    }

    @Test
    void inferenceAcceptsEveryDatatypeWithFlatData() {
        ServerHarness.Reply r = h.post("/v2/models/typed/infer", typedBody("[100, 200]", "FP64", "[1, 2, 3, 4, 5, 6]"));

        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("model_name").asText()).isEqualTo("typed");
        assertThat(r.json().get("model_version").asText()).isEqualTo("1");
        assertThat(r.json().get("id").asText()).isEqualTo("req-7");
        JsonNode out = r.json().get("outputs").get(0);
        assertThat(out.get("name").asText()).isEqualTo("score");
        assertThat(out.get("datatype").asText()).isEqualTo("FP64");
        assertThat(out.get("shape").toString()).isEqualTo("[2,1]");
        assertThat(out.get("data").get(0).asDouble()).isEqualTo(1 + 1 + 10 + 0.5 + 100 + 3 + 6);
        assertThat(out.get("data").get(1).asDouble()).isEqualTo(0 + 2 + 20 + 0.25 + 200 + 0 + 15);
    }

    @Test
    void nestedDataGivesTheSameAnswerAsFlatData() {
        ServerHarness.Reply flat = h.post("/v2/models/typed/versions/1/infer", typedBody("[100, 200]", "FP64", "[1, 2, 3, 4, 5, 6]"));
        ServerHarness.Reply nested = h.post("/v2/models/typed/versions/1/infer", typedBody("[100, 200]", "FP64", "[[1, 2, 3], [4, 5, 6]]"));

        assertThat(nested.status()).isEqualTo(200);
        assertThat(nested.json().get("outputs")).isEqualTo(flat.json().get("outputs"));
    }

    @Test
    void narrowerDatatypesWidenToTheModelsType() {
        String body = """
                {"inputs": [
                  {"name": "b", "datatype": "BOOL", "shape": [1], "data": [true]},
                  {"name": "i", "datatype": "INT8", "shape": [1], "data": [3]},
                  {"name": "l", "datatype": "UINT32", "shape": [1], "data": [4]},
                  {"name": "f", "datatype": "FP16", "shape": [1], "data": [0.5]},
                  {"name": "d", "datatype": "FP64", "shape": [1], "data": [1]},
                  {"name": "s", "datatype": "BYTES", "shape": [1], "data": ["xy"]},
                  {"name": "v", "datatype": "FP32", "shape": [1, 3], "data": [[0, 0, 1]]}]}
                """;
        ServerHarness.Reply r = h.post("/v2/models/typed/infer", body);
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(r.json().get("outputs").get(0).get("data").get(0).asDouble()).isEqualTo(1 + 3 + 4 + 0.5 + 1 + 2 + 1);
    }

    @Test
    void requestedOutputsAreHonouredAndUnknownOnesRefused() {
        String packed = """
                {"inputs": [{"name": "input", "datatype": "FP64", "shape": [1, 2], "data": [4, 3]}],
                 "outputs": [{"name": "score"}]}
                """;
        ServerHarness.Reply ok = h.post("/v2/models/credit/infer", packed);
        assertThat(ok.json().get("outputs").get(0).get("data").get(0).asDouble()).isEqualTo(2 + 0.5 * 4 - 3);
        ServerHarness.Reply bad = h.post("/v2/models/credit/infer", packed.replace("\"score\"", "\"proba\""));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).contains("proba");
    }

    @Test
    void protocolErrorsAreClearAndCarryTheRightStatus() {
        ServerHarness.Reply wrongType = h.post("/v2/models/typed/infer", typedBody("[100, 200]", "FP32", "[1, 2, 3, 4, 5, 6]"));
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.json().get("error").asText()).contains("'d'").contains("FP64");

        ServerHarness.Reply wrongCount = h.post("/v2/models/typed/infer", typedBody("[100, 200, 300]", "FP64", "[1, 2, 3, 4, 5, 6]"));
        assertThat(wrongCount.status()).isEqualTo(400);
        assertThat(wrongCount.json().get("error").asText()).contains("inputs[4].data");

        ServerHarness.Reply wrongShape = h.post("/v2/models/typed/infer", typedBody("[100, 200]", "FP64", "[1, 2, 3, 4, 5, 6, 7, 8]")
                .replace("\"shape\": [2, 3]", "\"shape\": [2, 4]"));
        assertThat(wrongShape.status()).isEqualTo(400);
        assertThat(wrongShape.json().get("error").asText()).contains("'v'");

        ServerHarness.Reply missing = h.post("/v2/models/credit/infer", "{\"inputs\": [{\"name\": \"other\", \"datatype\": \"FP64\", \"shape\": [1], \"data\": [1]}]}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("error").asText()).contains("'input' is missing");

        ServerHarness.Reply badValue = h.post("/v2/models/credit/infer", "{\"inputs\": [{\"name\": \"input\", \"datatype\": \"FP64\", \"shape\": [1, 2], \"data\": [1, \"x\"]}]}");
        assertThat(badValue.status()).isEqualTo(400);
        assertThat(badValue.json().get("error").asText()).contains("inputs[0].data[1]");

        assertThat(h.post("/v2/models/nothing/infer", typedBody("[1, 2]", "FP64", "[1, 2, 3, 4, 5, 6]")).status()).isEqualTo(404);
        assertThat(h.post("/v2/models/typed/versions/2/infer", typedBody("[1, 2]", "FP64", "[1, 2, 3, 4, 5, 6]")).status()).isEqualTo(503);
        assertThat(h.post("/v2/models/typed/versions/9/infer", typedBody("[1, 2]", "FP64", "[1, 2, 3, 4, 5, 6]")).status()).isEqualTo(404);
    }
}
