package io.seismo.runtime.net;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A connection was refused by the {@link AddressGuard}. Extends {@link UnknownHostException} so that
 * OkHttp treats it as a failed resolution and never connects.
 */
public final class BlockedAddressException extends UnknownHostException {

  public BlockedAddressException(String host, InetAddress address) {
    super("refused to connect to " + host + " (" + address.getHostAddress()
        + "): loopback, private, link-local and metadata addresses are blocked unless allowlisted"
        + " (" + OutboundConfig.ALLOW_HOSTS + ")");
  }
}
