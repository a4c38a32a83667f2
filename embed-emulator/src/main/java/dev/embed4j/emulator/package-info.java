/**
 * A local emulator of the OpenAI ({@code POST /v1/embeddings}) and Cohere ({@code POST /v2/embed})
 * embedding APIs for tests, benchmarks and offline runs: {@link
 * dev.embed4j.emulator.EmbeddingEmulator} (start one with its builder), {@link
 * dev.embed4j.emulator.Faults} (which faults to inject), {@link dev.embed4j.emulator.Stats} (what
 * it served) and {@link dev.embed4j.emulator.EmulatorMain} (the command line).
 */
package dev.embed4j.emulator;
