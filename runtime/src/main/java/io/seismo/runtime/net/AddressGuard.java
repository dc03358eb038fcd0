package io.seismo.runtime.net;

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
 * Decides whether Seismo may connect to an address: restricted addresses (loopback, private, link-local,
 * metadata, and IPv6 forms embedding them) are refused unless allowlisted; the rules are in docs/architecture.md.
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
   * each request (and each redirect hop). Host names are left to the client's resolver (ingest's
   * {@code GuardedDns}).
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
      if (isUndecodableNat64(b)) {
        return true;
      }
      List<InetAddress> embedded = embeddedIpv4(b);
      if (!embedded.isEmpty()) {
        return embedded.stream().anyMatch(AddressGuard::isRestricted);
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

  /** 64:ff9b::/32 other than the well-known /96: the local-use 64:ff9b:1::/48 and the unassigned rest. */
  private static boolean isUndecodableNat64(byte[] b) {
    return isNat64Prefix(b) && !allZero(b, 4, 12);
  }

  private static boolean isNat64Prefix(byte[] b) {
    return b[0] == 0x00 && b[1] == 0x64 && (b[2] & 0xFF) == 0xFF && (b[3] & 0xFF) == 0x9B;
  }

  /** The IPv4 addresses an IPv6 transition address carries (see the class comment); empty if none. */
  private static List<InetAddress> embeddedIpv4(byte[] b) {
    boolean mappedOrCompatible = allZero(b, 0, 10)
        && ((b[10] == 0 && b[11] == 0) || ((b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF));
    boolean siit = allZero(b, 0, 8) && (b[8] & 0xFF) == 0xFF && (b[9] & 0xFF) == 0xFF && b[10] == 0 && b[11] == 0;
    boolean nat64 = isNat64Prefix(b) && allZero(b, 4, 12);
    if (mappedOrCompatible && allZero(b, 10, 15) && (b[15] & 0xFF) <= 1) {
      return List.of(); // :: and ::1, left to the IPv6 checks
    }
    if (mappedOrCompatible || siit || nat64) {
      return List.of(ipv4(b[12], b[13], b[14], b[15]));
    }
    if (b[0] == 0x20 && b[1] == 0x02) { // 6to4
      return List.of(ipv4(b[2], b[3], b[4], b[5]));
    }
    if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) { // Teredo: server, then the inverted client
      return List.of(ipv4(b[4], b[5], b[6], b[7]), ipv4((byte) ~b[12], (byte) ~b[13], (byte) ~b[14], (byte) ~b[15]));
    }
    return List.of();
  }

  private static boolean allZero(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static InetAddress ipv4(byte a, byte b, byte c, byte d) {
    try {
      return Inet4Address.getByAddress(new byte[] {a, b, c, d});
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
