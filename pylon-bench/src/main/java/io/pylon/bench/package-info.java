package io.pylon.bench;
