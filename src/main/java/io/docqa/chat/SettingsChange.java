package io.docqa.chat;

/**
 * The body of {@code PATCH /api/v1/tenant/settings}: a field left out (or null) stays as it is; empty
 * {@code instructions} remove them.
 */
record SettingsChange(String model, Double temperature, String instructions, Integer defaultTopK) {
}
