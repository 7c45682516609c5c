package io.pylon.it;
