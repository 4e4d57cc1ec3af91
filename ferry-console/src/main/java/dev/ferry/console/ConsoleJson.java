package dev.ferry.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.ErrorKind;
import dev.ferry.FerryException;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * JSON replies of the console API, and the one place where its failures become a status with a
 * body {@code {"error": ..., "kind": ...}}, the same shape as the rest of the server.
 */
final class ConsoleJson {

    static final ObjectMapper JSON = new ObjectMapper();

    /** What a console route does with a request; throws to fail it. */
    interface Route {
        void handle(ServerRequest req, ServerResponse res) throws Exception;
    }

    /** A request refused for its credentials: 401 without a token, 403 with a wrong one. */
    static final class AuthException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        AuthException(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private ConsoleJson() {
    }

    static Handler handler(Route route) {
        return (req, res) -> {
            try {
                route.handle(req, res);
            } catch (Throwable t) {
                fail(res, t);
            }
        };
    }

    static void fail(ServerResponse res, Throwable t) {
        int status;
        String kind;
        String message;
        if (t instanceof FerryException fe) {
            status = fe.kind().httpStatus();
            kind = fe.kind().name().toLowerCase(Locale.ROOT);
            message = fe.getMessage();
        } else if (t instanceof AuthException ae) {
            status = ae.status;
            kind = status == 401 ? "unauthenticated" : "forbidden";
            message = ae.getMessage();
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
    }

    static void send(ServerResponse res, int status, Object body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(bytes);
    }
}
