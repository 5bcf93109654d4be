package io.shaledb.demo;

import java.io.Serializable;

/** Who is signed in on a session. */
record SignedIn(int userId, String username, boolean admin) implements Serializable {}
