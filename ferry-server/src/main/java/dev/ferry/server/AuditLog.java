package dev.ferry.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.UnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;

/**
 * Appends one JSON line per admin change ({@code "format": 1}, time, actor, action, target,
 * request, outcome) to a file and forces it to disk, so the record of who changed what survives
 * a crash right after the change.
 */
final class AuditLog {

    static final int FORMAT_VERSION = 1;

    private final Path file;
    private final Clock clock;

    AuditLog(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UnavailableException("audit log directory for " + file + " cannot be created: " + e.getMessage(), e);
        }
    }

    synchronized void write(String actor, String action, String target, Object request, String outcome) {
        ObjectNode o = Http.JSON.createObjectNode();
        o.put("format", FORMAT_VERSION);
        o.put("at", clock.instant().toString());
        o.put("actor", actor);
        o.put("action", action);
        o.put("target", target);
        o.set("request", Http.JSON.valueToTree(request));
        o.put("outcome", outcome);
        try (var ch = java.nio.channels.FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ch.write(java.nio.ByteBuffer.wrap((o + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.force(false);
        } catch (IOException e) {
            throw new UnavailableException("audit log " + file + " cannot be written: " + e.getMessage(), e);
        }
    }

    Path file() {
        return file;
    }
}
