package io.pylon.domain;
