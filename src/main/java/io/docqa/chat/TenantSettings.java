package io.docqa.chat;

/** What a tenant's answers use: the model, its temperature, instructions after the service's own, the default top_k. */
record TenantSettings(String model, double temperature, String instructions, int defaultTopK) {
}
