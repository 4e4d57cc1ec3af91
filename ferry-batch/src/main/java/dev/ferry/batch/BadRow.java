package dev.ferry.batch;

/**
 * A row a batch run could not score.
 *
 * @param row     its position in the source, counting from 1
 * @param message what was wrong, naming the field, the value and what was expected
 */
public record BadRow(long row, String message) {
}
