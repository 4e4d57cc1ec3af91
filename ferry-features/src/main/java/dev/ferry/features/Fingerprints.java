package dev.ferry.features;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 content fingerprints, written {@code sha256:<hex>}. */
final class Fingerprints {

    private Fingerprints() {
    }

    static String file(Path path) {
        MessageDigest md = sha256();
        try (InputStream in = Files.newInputStream(path)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new InternalFailure("file " + path + " could not be read to fingerprint it: " + e.getMessage(), e);
        }
        return "sha256:" + HexFormat.of().formatHex(md.digest());
    }

    /** Starts hashing {@code files} on virtual threads; {@link Early#file} then waits for a result, or hashes a file it was not given. */
    static Early early(java.util.List<Path> files) {
        java.util.Map<Path, java.util.concurrent.Future<String>> running = new java.util.HashMap<>();
        for (Path f : files) {
            running.computeIfAbsent(f, x -> {
                java.util.concurrent.FutureTask<String> task = new java.util.concurrent.FutureTask<>(() -> file(x));
                Thread.ofVirtual().name("ferry-fingerprint").start(task);
                return task;
            });
        }
        return new Early(running);
    }

    /** File hashes started before they are needed. */
    static final class Early {

        static final Early NONE = new Early(java.util.Map.of());

        private final java.util.Map<Path, java.util.concurrent.Future<String>> running;

        private Early(java.util.Map<Path, java.util.concurrent.Future<String>> running) {
            this.running = running;
        }

        String file(Path path) {
            java.util.concurrent.Future<String> f = running.get(path);
            if (f == null) {
                return Fingerprints.file(path);
            }
            try {
                return f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new InternalFailure("file " + path + " could not be fingerprinted: " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InternalFailure("interrupted while fingerprinting " + path, e);
            }
        }

        /** Stops hashes no one will wait for (the training set failed before its manifest). */
        void cancel() {
            running.values().forEach(f -> f.cancel(true));
        }
    }

    static String text(String text) {
        return "sha256:" + HexFormat.of().formatHex(sha256().digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
