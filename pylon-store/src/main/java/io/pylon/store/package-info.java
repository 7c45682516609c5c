package io.pylon.store;
