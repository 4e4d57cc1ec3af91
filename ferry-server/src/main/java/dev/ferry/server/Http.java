package dev.ferry.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.CapacityException;
import dev.ferry.ErrorKind;
import dev.ferry.FerryException;
import dev.ferry.InvalidInputException;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The HTTP plumbing every route shares: reading a bounded JSON body, writing JSON, and the one
 * place where a failure becomes a status code ({@link ErrorKind#httpStatus()}). Every handler
 * is wrapped by {@link #handler}, so no exception escapes as an unexplained 500.
 */
final class Http {

    /**
     * The server's mapper. Jackson recycles its parse and write buffers per thread by default,
     * which on a virtual thread per request means fresh buffers (tens of kilobytes) for every
     * body read and every answer written; a shared pool recycles them across requests. Doubles
     * are parsed with Jackson's bundled FastDoubleParser, which rounds exactly as
     * {@link Double#parseDouble} does.
     */
    static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder(
                    com.fasterxml.jackson.core.JsonFactory.builder()
                            .recyclerPool(com.fasterxml.jackson.core.util.JsonRecyclerPools.sharedConcurrentDequePool())
                            .enable(com.fasterxml.jackson.core.StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** A request the admin API refuses: 401 without credentials, 403 with wrong ones. */
    static final class AuthException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        AuthException(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    /** What a route does with a request; throws to fail it. */
    interface Route {
        void handle(ServerRequest req, ServerResponse res) throws Exception;
    }

    private final long maxBodyBytes;
    private final MeterRegistry meters;

    Http(long maxBodyBytes, MeterRegistry meters) {
        this.maxBodyBytes = maxBodyBytes;
        this.meters = meters;
    }

    Handler handler(String name, Route route) {
        return (req, res) -> {
            int status;
            try {
                route.handle(req, res);
                status = res.status().code();
            } catch (Throwable t) {
                status = fail(res, t);
            }
            requests(name, status).increment();
        };
    }

    // One counter per route and status, looked up by a hash instead of registered per request.
    private final java.util.concurrent.ConcurrentMap<String, io.micrometer.core.instrument.Counter> requestCounters =
            new java.util.concurrent.ConcurrentHashMap<>();

    private io.micrometer.core.instrument.Counter requests(String route, int status) {
        String key = route + ' ' + status;
        io.micrometer.core.instrument.Counter c = requestCounters.get(key);
        return c != null ? c : requestCounters.computeIfAbsent(key, k ->
                meters.counter("ferry.http.requests", "route", route, "status", Integer.toString(status)));
    }

    /** Maps a failure to its status and a JSON body {@code {"error": ..., "kind": ...}}. */
    static int fail(ServerResponse res, Throwable t) {
        int status;
        String kind;
        String message;
        if (t instanceof FerryException fe) {
            status = fe.kind().httpStatus();
            kind = fe.kind().name().toLowerCase(java.util.Locale.ROOT);
            message = fe.getMessage();
        } else if (t instanceof AuthException ae) {
            status = ae.status;
            kind = status == 401 ? "unauthenticated" : "forbidden";
            message = ae.getMessage();
            if (status == 401) {
                res.header(HeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"ferry-admin\"");
            }
        } else if (t instanceof io.helidon.http.HttpException he && he.status().code() < 500) {
            // Helidon's own refusals (no route for the path: 404, a malformed request: 400) keep their status
            status = he.status().code();
            kind = status == 404 ? "not_found" : "invalid_input";
            message = he.getMessage();
        } else {
            status = ErrorKind.INTERNAL.httpStatus();
            kind = "internal";
            message = "internal error: " + t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("error", message == null ? kind : message);
        body.put("kind", kind);
        if (!res.isSent()) {
            send(res, status, body);
        }
        return status;
    }

    static void send(ServerResponse res, int status, Object body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        sendJson(res, status, bytes);
    }

    static void ok(ServerResponse res, Object body) {
        send(res, 200, body);
    }

    /** Reads the body as a JSON object, refusing one larger than the limit (413) or malformed (400). */
    JsonNode body(ServerRequest req) {
        byte[] bytes = bytes(req);
        JsonNode node;
        try {
            node = JSON.readTree(bytes);
        } catch (IOException e) {
            String msg = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            throw new InvalidInputException("request body is not valid JSON: " + msg);
        }
        if (node == null || !node.isObject()) {
            throw new InvalidInputException("request body must be a JSON object");
        }
        return node;
    }

    /** Sends bytes that are already JSON. */
    static void sendJson(ServerResponse res, int status, byte[] json) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(json);
    }

    /** The body's bytes, refusing a body larger than the limit (413) or an empty one (400). */
    byte[] bytes(ServerRequest req) {
        java.util.OptionalLong declared = req.headers().contentLength();
        if (declared.isPresent() && declared.getAsLong() > maxBodyBytes) {
            throw new CapacityException("request body has " + declared.getAsLong() + " bytes but at most " + maxBodyBytes
                    + " are allowed");
        }
        byte[] bytes;
        try (InputStream in = req.content().inputStream()) {
            if (declared.isPresent()) {
                // read into an array of the declared size: reading up to the limit would allocate
                // buffers of the stream's chunk size (16 KiB) for every small body
                bytes = new byte[(int) declared.getAsLong()];
                int n = in.readNBytes(bytes, 0, bytes.length);
                if (n < bytes.length) {
                    throw new InvalidInputException("request body ended after " + n + " bytes but its Content-Length was "
                            + bytes.length);
                }
            } else {
                bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
            }
        } catch (InvalidInputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new InvalidInputException("request body could not be read: " + e.getMessage());
        }
        if (bytes.length > maxBodyBytes) {
            throw new CapacityException("request body has more than " + maxBodyBytes + " bytes, the most allowed");
        }
        if (bytes.length == 0) {
            throw new InvalidInputException("request body is empty but a JSON object is required");
        }
        return bytes;
    }
}
