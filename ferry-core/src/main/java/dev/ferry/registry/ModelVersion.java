package dev.ferry.registry;

import dev.ferry.model.ModelFormat;
import dev.ferry.model.ModelSignature;
import java.time.Instant;
import java.util.List;

/**
 * One immutable, numbered version of a registered model. Only versions that passed the
 * validation gate exist; the artifact is addressed by its SHA-256 and checked on every load.
 *
 * @param name           model name
 * @param version        1, 2, 3, ... per model
 * @param format         artifact format
 * @param runtimeVersion runtime library version that validated it
 * @param signature      inputs, outputs and features
 * @param sha256         hex SHA-256 of the artifact
 * @param sizeBytes      artifact size
 * @param fileName       the artifact's original file name (kept for its extension)
 * @param provenance     lineage
 * @param golden         golden examples
 * @param createdBy      who registered it
 * @param createdAt      when
 * @param message        free text, like a commit message
 */
public record ModelVersion(String name, int version, ModelFormat format, String runtimeVersion,
                           ModelSignature signature, String sha256, long sizeBytes, String fileName,
                           Provenance provenance, List<GoldenExample> golden, String createdBy,
                           Instant createdAt, String message) {

    public ModelVersion {
        golden = List.copyOf(golden);
    }

    /** {@code name@version}, as written in CLI output and logs. */
    public String ref() {
        return name + "@" + version;
    }
}
