package dev.ferry.registry;

import dev.ferry.model.ModelFormat;
import dev.ferry.model.ModelSignature;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a data scientist hands over.
 *
 * @param name      model name (letters, digits, '-', '_', '.')
 * @param artifact  the model file
 * @param format    its format
 * @param signature the claimed signature; when empty, the one the runtime reads from the artifact
 * @param provenance lineage
 * @param golden    golden examples, checked before the version is stored
 * @param createdBy who registers it
 * @param message   free text
 */
public record RegisterRequest(String name, Path artifact, ModelFormat format, Optional<ModelSignature> signature,
                              Provenance provenance, List<GoldenExample> golden, String createdBy, String message) {

    public RegisterRequest {
        golden = List.copyOf(golden);
        provenance = provenance == null ? Provenance.none() : provenance;
    }
}
