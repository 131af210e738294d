package io.docqa.ai;

/** A collection on the Chroma server: the Chroma tenant and database that hold it, and its name. */
record ChromaAddress(String tenant, String database, String collection) {

    /** The path of the database below the server's base URL, ending with a slash. */
    String databasePath() {
        return "api/v2/tenants/" + tenant + "/databases/" + database + "/";
    }

    /** Whether dropping a tenant's vectors drops the whole database rather than one collection. */
    boolean ownsDatabase() {
        return !ChromaIsolation.DEFAULT_DATABASE.equals(database);
    }
}
