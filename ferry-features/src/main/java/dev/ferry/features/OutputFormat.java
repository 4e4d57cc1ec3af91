package dev.ferry.features;

import dev.ferry.InvalidInputException;
import java.nio.file.Path;
import java.util.Locale;

/** The file format of a training set. */
public enum OutputFormat {
    PARQUET, CSV;

    /** From the file name: {@code .csv} is CSV, {@code .parquet} is Parquet. */
    public static OutputFormat of(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".csv")) {
            return CSV;
        }
        if (n.endsWith(".parquet")) {
            return PARQUET;
        }
        throw new InvalidInputException("output file was '" + file + "' but its name must end in .parquet or .csv");
    }
}
