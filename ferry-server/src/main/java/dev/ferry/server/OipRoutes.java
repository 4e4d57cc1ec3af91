package dev.ferry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.InvalidInputException;
import dev.ferry.serving.InferResult;
import dev.ferry.serving.ModelStatus;
import dev.ferry.serving.ServingEngine;
import dev.ferry.types.Tensor;
import dev.ferry.types.TensorSpec;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The Open Inference Protocol v2 REST endpoints (health, server and model metadata, readiness,
 * inference), so KServe and Triton clients work against Ferry unchanged. A model name may also
 * be a deployment name; then the deployment's routing picks the version.
 */
final class OipRoutes {

    static final String VERSION = "0.1.0";

    private final ServingEngine engine;
    private final Http http;
    private final BooleanSupplier ready;
    private final int maxElements;

    OipRoutes(ServingEngine engine, Http http, BooleanSupplier ready, int maxElements) {
        this.engine = engine;
        this.http = http;
        this.ready = ready;
        this.maxElements = maxElements;
    }

    void register(HttpRouting.Builder r) {
        r.get("/v2/health/live", http.handler("live", (req, res) -> Http.ok(res, Map.of("live", true))));
        r.get("/v2/health/ready", http.handler("ready", (req, res) -> {
            boolean ok = ready.getAsBoolean();
            Http.send(res, ok ? 200 : 503, Map.of("ready", ok));
        }));
        r.get("/v2", http.handler("server_metadata", (req, res) -> Http.ok(res,
                Map.of("name", "ferry", "version", VERSION, "extensions", List.of()))));
        r.get("/v2/models/{name}", http.handler("model_metadata", (req, res) -> metadata(req, res, false)));
        r.get("/v2/models/{name}/versions/{version}", http.handler("model_metadata", (req, res) -> metadata(req, res, true)));
        r.get("/v2/models/{name}/ready", http.handler("model_ready", (req, res) -> modelReady(req, res, false)));
        r.get("/v2/models/{name}/versions/{version}/ready", http.handler("model_ready", (req, res) -> modelReady(req, res, true)));
        r.post("/v2/models/{name}/infer", http.handler("infer", (req, res) -> infer(req, res, false)));
        r.post("/v2/models/{name}/versions/{version}/infer", http.handler("infer", (req, res) -> infer(req, res, true)));
    }

    private static Optional<Integer> version(ServerRequest req, boolean has) {
        if (!has) {
            return Optional.empty();
        }
        String v = req.path().pathParameters().get("version");
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return Optional.of(n);
        } catch (NumberFormatException e) {
            throw new InvalidInputException("model version was '" + v + "' but it must be a positive integer");
        }
    }

    private void metadata(ServerRequest req, ServerResponse res, boolean hasVersion) {
        String name = req.path().pathParameters().get("name");
        ModelStatus s = engine.model(name, version(req, hasVersion));
        List<String> versions = new ArrayList<>();
        for (ModelStatus m : engine.models()) {
            if (m.version().name().equals(s.version().name())) {
                versions.add(Integer.toString(m.version().version()));
            }
        }
        ObjectNode o = Http.JSON.createObjectNode();
        o.put("name", name);
        ArrayNode vs = o.putArray("versions");
        versions.forEach(vs::add);
        o.put("platform", s.platform());
        o.set("inputs", tensors(s.version().signature().inputs()));
        o.set("outputs", tensors(s.version().signature().outputs()));
        Http.ok(res, o);
    }

    private static ArrayNode tensors(List<TensorSpec> specs) {
        ArrayNode a = Http.JSON.createArrayNode();
        for (TensorSpec t : specs) {
            ObjectNode o = a.addObject();
            o.put("name", t.name());
            o.put("datatype", t.type().oipDatatype());
            ArrayNode shape = o.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
        }
        return a;
    }

    private void modelReady(ServerRequest req, ServerResponse res, boolean hasVersion) {
        String name = req.path().pathParameters().get("name");
        Http.ok(res, Map.of("name", name, "ready", engine.ready(name, version(req, hasVersion))));
    }

    private void infer(ServerRequest req, ServerResponse res, boolean hasVersion) {
        String name = req.path().pathParameters().get("name");
        Optional<Integer> version = version(req, hasVersion);
        JsonNode body = http.body(req);
        JsonValues.allowOnly("", body, "id", "parameters", "inputs", "outputs");
        String id = JsonValues.optText("", body, "id").orElse(null);
        JsonNode inputs = JsonValues.array("", body, "inputs");
        if (inputs.isEmpty()) {
            throw new InvalidInputException("field 'inputs' is empty but at least one input tensor is required");
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            Tensor t = OipTensors.decode("inputs[" + i + "]", inputs.get(i), maxElements);
            if (tensors.put(t.name(), t) != null) {
                throw new InvalidInputException("inputs[" + i + "].name '" + t.name() + "' appears more than once");
            }
        }
        Set<String> wanted = requestedOutputs(body);
        InferResult r = engine.infer(name, version, id == null ? dev.ferry.serving.RequestIds.next() : id, tensors);
        for (String w : wanted) {
            if (!r.outputs().containsKey(w)) {
                throw new InvalidInputException("outputs: '" + w + "' is not an output of model " + r.model() + "; outputs are "
                        + r.outputs().keySet());
            }
        }
        ObjectNode o = Http.JSON.createObjectNode();
        o.put("model_name", r.model());
        o.put("model_version", Integer.toString(r.version()));
        if (id != null) {
            o.put("id", id);
        }
        ArrayNode outs = o.putArray("outputs");
        r.outputs().values().stream().filter(t -> wanted.isEmpty() || wanted.contains(t.name()))
                .sorted(java.util.Comparator.comparing(Tensor::name))
                .forEach(t -> outs.add(OipTensors.encode(t)));
        Http.ok(res, o);
    }

    private static Set<String> requestedOutputs(JsonNode body) {
        Set<String> wanted = new HashSet<>();
        if (body.hasNonNull("outputs")) {
            JsonNode outs = JsonValues.array("", body, "outputs");
            for (int i = 0; i < outs.size(); i++) {
                JsonNode o = JsonValues.object("outputs[" + i + "]", outs.get(i));
                wanted.add(JsonValues.text("outputs[" + i + "]", o, "name"));
            }
        }
        return wanted;
    }
}
