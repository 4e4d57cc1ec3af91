package dev.ferry.console;

import dev.ferry.NotFoundException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The console's pages: plain ES modules, CSS and one HTML file, served from the class path
 * under {@code /console/}. Only names of letters, digits, '-' and '/' with a known extension
 * are looked up, so no request can reach another resource.
 */
final class StaticFiles {

    private static final String ROOT = "/dev/ferry/console/web/";
    private static final Pattern NAME = Pattern.compile("[a-z0-9\\-]+(/[a-z0-9\\-]+)*\\.(html|js|css|svg)");
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml");

    void register(HttpRouting.Builder r) {
        r.get("/console", (req, res) -> {
            res.status(Status.MOVED_PERMANENTLY_301);
            res.header(HeaderNames.LOCATION, "/console/");
            res.send();
        });
        r.get("/console/", ConsoleJson.handler((req, res) -> send(res, "index.html")));
        r.get("/console/{+path}", ConsoleJson.handler((req, res) -> {
            String path = req.path().pathParameters().get("path");
            if (path.startsWith("api/")) {
                throw new NotFoundException("console API path '/console/" + path + "' does not exist");
            }
            send(res, path);
        }));
    }

    private static void send(io.helidon.webserver.http.ServerResponse res, String path) {
        if (!NAME.matcher(path).matches()) {
            throw new NotFoundException("console file '" + path + "' does not exist");
        }
        byte[] bytes;
        try (InputStream in = StaticFiles.class.getResourceAsStream(ROOT + path)) {
            if (in == null) {
                throw new NotFoundException("console file '" + path + "' does not exist");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        res.header(HeaderNames.CONTENT_TYPE, TYPES.get(path.substring(path.lastIndexOf('.') + 1)));
        res.header(HeaderNames.CACHE_CONTROL, "no-cache");
        // the pages load only their own files and call only this server
        res.header(HeaderNames.create("Content-Security-Policy"), CSP);
        res.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
        res.send(bytes);
    }
}
