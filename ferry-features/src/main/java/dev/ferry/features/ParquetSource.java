package dev.ferry.features;

import dev.ferry.InvalidInputException;
import java.nio.file.Path;

/** A Parquet file (or a glob of files) read in place by the offline store. */
public record ParquetSource(Path path) implements Source {

    public ParquetSource {
        if (path == null) {
            throw new InvalidInputException("parquet source has no path; expected a file path");
        }
    }

    @Override
    public String describe() {
        return "parquet:" + path;
    }
}
