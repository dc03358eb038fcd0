package io.seismo.testsupport;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Closes the shared broker and what runs on it when the JUnit session ends, before the JVM exits. */
public final class SharedResourcesListener implements LauncherSessionListener {

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    SharedKafkaBroker.closeAll();
  }
}
