package io.seismo.ingest.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides whether Seismo may connect to an address. Loopback, private (RFC 1918), carrier-grade NAT,
 * link-local (including cloud metadata at 169.254.169.254), unique-local IPv6 (fc00::/7), multicast,
 * unspecified and IPv4-mapped forms of those are refused unless the operator allowlists them, by
 * CIDR ({@code 127.0.0.0/8}, {@code ::1/128}) or by host name ({@code localhost}).
 */
public final class AddressGuard {

  private final List<Cidr> allowedNetworks;
  private final Set<String> allowedHosts;

  private AddressGuard(List<Cidr> allowedNetworks, Set<String> allowedHosts) {
    this.allowedNetworks = List.copyOf(allowedNetworks);
    this.allowedHosts = Set.copyOf(allowedHosts);
  }

  /** A guard that refuses every restricted address. */
  public static AddressGuard strict() {
    return new AddressGuard(List.of(), Set.of());
  }

  /** A guard with an operator allowlist: CIDRs and host names, e.g. {@code localhost, 10.1.0.0/16}. */
  public static AddressGuard allowing(List<String> entries) {
    List<Cidr> networks = new ArrayList<>();
    Set<String> hosts = new TreeSet<>();
    for (String entry : entries) {
      String e = entry.strip().toLowerCase(Locale.ROOT);
      if (e.isEmpty()) {
        continue;
      }
      if (e.contains("/") || isIpLiteral(e)) {
        networks.add(Cidr.parse(e));
      } else {
        hosts.add(e);
      }
    }
    return new AddressGuard(networks, hosts);
  }

  /** True when {@code host} (as written in a URL) is allowlisted by name. */
  public boolean hostAllowlisted(String host) {
    return allowedHosts.contains(host.toLowerCase(Locale.ROOT));
  }

  /** Throws {@link BlockedAddressException} when a connection to {@code address} for {@code host} is refused. */
  public void check(String host, InetAddress address) throws BlockedAddressException {
    if (!isRestricted(address) || hostAllowlisted(host)) {
      return;
    }
    for (Cidr network : allowedNetworks) {
      if (network.contains(address)) {
        return;
      }
    }
    throw new BlockedAddressException(host, address);
  }

  /**
   * OkHttp connects to IP-literal hosts without asking its {@code Dns}; callers guard those here before
   * each request (and each redirect hop). Host names are left to {@link GuardedDns}.
   */
  public void checkLiteral(String host) throws UnknownHostException {
    if (host.matches("[0-9.]+") || host.contains(":")) {
      check(host, InetAddress.getByName(host));
    }
  }

  /** Whether the address is one a public-internet monitor must not reach by default. */
  public static boolean isRestricted(InetAddress address) {
    if (address instanceof Inet6Address v6) {
      byte[] b = v6.getAddress();
      InetAddress embedded = embeddedIpv4(b);
      if (embedded != null) {
        return isRestricted(embedded);
      }
      return v6.isAnyLocalAddress() || v6.isLoopbackAddress() || v6.isLinkLocalAddress()
          || v6.isSiteLocalAddress() || v6.isMulticastAddress()
          || (b[0] & 0xFE) == 0xFC; // fc00::/7 unique local (covers fd00:ec2::254 metadata)
    }
    byte[] b = address.getAddress();
    int first = b[0] & 0xFF;
    int second = b[1] & 0xFF;
    return address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
        || address.isSiteLocalAddress() || address.isMulticastAddress()
        || first == 0                                   // 0.0.0.0/8 "this network"
        || (first == 100 && (second & 0xC0) == 64)       // 100.64.0.0/10 carrier-grade NAT (Alibaba metadata)
        || (first == 192 && second == 0 && (b[2] & 0xFF) == 0) // 192.0.0.0/24 IETF (Oracle metadata 192.0.0.192)
        || (first == 198 && (second & 0xFE) == 18)       // 198.18.0.0/15 benchmarking
        || first >= 240;                                 // reserved and broadcast
  }

  /** IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::/96) forms. */
  private static InetAddress embeddedIpv4(byte[] b) {
    boolean zeroPrefix = true;
    for (int i = 0; i < 10; i++) {
      zeroPrefix &= b[i] == 0;
    }
    boolean mapped = zeroPrefix && (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF;
    boolean compatible = zeroPrefix && b[10] == 0 && b[11] == 0 && !(b[12] == 0 && b[13] == 0 && b[14] == 0);
    boolean nat64 = (b[0] & 0xFF) == 0x00 && (b[1] & 0xFF) == 0x64 && (b[2] & 0xFF) == 0xFF && (b[3] & 0xFF) == 0x9B;
    if (!mapped && !compatible && !nat64) {
      return null;
    }
    try {
      return Inet4Address.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  static boolean isIpLiteral(String text) {
    return text.matches("[0-9.]+") || text.contains(":");
  }

  /** An IPv4 or IPv6 network in CIDR notation. */
  record Cidr(byte[] network, int prefixLength) {

    static Cidr parse(String text) {
      String[] parts = text.split("/", 2);
      try {
        byte[] address = InetAddress.getByName(parts[0]).getAddress();
        int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : address.length * 8;
        if (prefix < 0 || prefix > address.length * 8) {
          throw new IllegalArgumentException("bad prefix length in " + text);
        }
        return new Cidr(address, prefix);
      } catch (UnknownHostException | NumberFormatException e) {
        throw new IllegalArgumentException("not a CIDR or IP address: " + text, e);
      }
    }

    boolean contains(InetAddress address) {
      byte[] candidate = address.getAddress();
      if (candidate.length != network.length) {
        return false;
      }
      int fullBytes = prefixLength / 8;
      for (int i = 0; i < fullBytes; i++) {
        if (candidate[i] != network[i]) {
          return false;
        }
      }
      int remainingBits = prefixLength % 8;
      if (remainingBits == 0) {
        return true;
      }
      int mask = (0xFF << (8 - remainingBits)) & 0xFF;
      return (candidate[fullBytes] & mask) == (network[fullBytes] & mask);
    }
  }
}
