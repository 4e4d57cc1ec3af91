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
