package io.seismo.ingest.net;

import io.seismo.runtime.net.AddressGuard;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import okhttp3.Dns;

/**
 * Resolves host names and refuses the result if any resolved address is blocked by the guard, so that
 * DNS rebinding to a private address cannot slip through. Runs on every connection OkHttp opens,
 * including redirect hops and re-resolutions.
 */
public final class GuardedDns implements Dns {

  private final Dns delegate;
  private final AddressGuard guard;

  public GuardedDns(Dns delegate, AddressGuard guard) {
    this.delegate = delegate;
    this.guard = guard;
  }

  @Override
  public List<InetAddress> lookup(String hostname) throws UnknownHostException {
    List<InetAddress> addresses = delegate.lookup(hostname);
    for (InetAddress address : addresses) {
      guard.check(hostname, address);
    }
    return addresses;
  }
}
