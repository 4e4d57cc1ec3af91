package dev.ferry.features;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;

/** Writes query results to a temporary file beside the target and renames it, so readers never see half a file. */
final class OutputFiles {

    private OutputFiles() {
    }

    static Path copy(DuckEngine engine, String select, Path out, OutputFormat format) throws SQLException {
        Path dir = out.getParent();
        Path tmp;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + out.getFileName() + ".", ".tmp");
            Files.delete(tmp); // DuckDB creates the file itself
        } catch (IOException e) {
            throw new InternalFailure("output directory " + dir + " is not writable: " + e.getMessage(), e);
        }
        String options = format == OutputFormat.CSV ? "(FORMAT csv, HEADER true)" : "(FORMAT parquet)";
        try {
            engine.exec("COPY (" + select + ") TO " + Sql.str(tmp.toString()) + " " + options);
        } catch (SQLException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // The original failure is the one worth reporting.
            }
            throw e;
        }
        return tmp;
    }

    static void publish(Path tmp, Path out) {
        try {
            try {
                Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new InternalFailure("output " + out + " could not be written: " + e.getMessage(), e);
        }
    }

    /** {@code train.parquet} has its manifest in {@code train.parquet.manifest.json}. */
    static Path manifestPath(Path out) {
        return out.resolveSibling(out.getFileName() + ".manifest.json");
    }
}
