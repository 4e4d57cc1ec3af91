package dev.ferry.features;

import dev.ferry.InvalidInputException;
import java.nio.file.Path;

/** A CSV file with a header row, read in place; column types come from the view schema. */
public record CsvSource(Path path, char delimiter) implements Source {

    public CsvSource {
        if (path == null) {
            throw new InvalidInputException("csv source has no path; expected a file path");
        }
    }

    public static CsvSource of(Path path) {
        return new CsvSource(path, ',');
    }

    @Override
    public String describe() {
        return "csv:" + path;
    }
}
