package dev.ferry.features;

/** Where a definition (or one of its parts) was written: a file and a 1-based line, or a builder. */
record Origin(String file, int line) {

    static Origin builder(String what) {
        return new Origin("<java " + what + ">", 0);
    }
}
