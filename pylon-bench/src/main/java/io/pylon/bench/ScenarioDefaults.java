package io.pylon.bench;

/** Per-scenario defaults for the options whose sensible value depends on the scenario's shape. */
record ScenarioDefaults(int clients, long messages, int qos, int inflight) {}
