package io.pylon.http;
