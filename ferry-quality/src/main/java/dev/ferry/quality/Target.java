package dev.ferry.quality;

import dev.ferry.InvalidInputException;
import java.nio.file.Path;

/**
 * What a set of checks reads: a registered feature view (its source read in place, columns typed
 * as the view declares them) or any Parquet or CSV file, such as a training set Ferry wrote
 * (columns typed as DuckDB detects them).
 */
public sealed interface Target permits Target.View, Target.File {

    /** A short description for reports and the run history, e.g. {@code view credit_history}. */
    String describe();

    static View view(String name) {
        return new View(name);
    }

    static File file(Path path) {
        return new File(path);
    }

    /** The latest applied version of a feature view, read from its source. */
    record View(String name) implements Target {
        public View {
            if (name == null || name.isBlank()) {
                throw new InvalidInputException("view target has no name; expected a feature view name");
            }
        }

        @Override
        public String describe() {
            return "view " + name;
        }
    }

    /** A {@code .parquet} or {@code .csv} file (a glob of Parquet files works too). */
    record File(Path path) implements Target {
        public File {
            if (path == null) {
                throw new InvalidInputException("file target has no path; expected a .parquet or .csv file");
            }
            String n = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            if (!n.endsWith(".parquet") && !n.endsWith(".csv")) {
                throw new InvalidInputException("file target was '" + path + "' but it must end in .parquet or .csv");
            }
        }

        boolean csv() {
            return path.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv");
        }

        @Override
        public String describe() {
            return "file " + path;
        }
    }
}
