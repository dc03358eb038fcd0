package io.seismo.runtime.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressGuardTest {

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.8.9.10", "::1", "10.1.2.3", "172.16.0.1", "172.31.255.255",
      "192.168.1.1", "169.254.169.254", "0.0.0.0", "100.64.0.1", "192.0.0.192", "224.0.0.1", "255.255.255.255",
      "fc00::1", "fd00:ec2::254", "fe80::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "64:ff9b::a9fe:a9fe", "ff02::1"})
  void shouldRefuseRestrictedAddressesWhenNotAllowlisted(String ip) throws Exception {
    InetAddress address = InetAddress.getByName(ip);

    assertThat(AddressGuard.isRestricted(address)).as(ip).isTrue();
    assertThatThrownBy(() -> AddressGuard.strict().check("example.org", address))
        .isInstanceOf(BlockedAddressException.class)
        .hasMessageContaining(address.getHostAddress());
  }

  @ParameterizedTest
  @ValueSource(strings = {"93.184.215.14", "8.8.8.8", "172.32.0.1", "2606:4700::1111", "100.128.0.1"})
  void shouldAllowPublicAddresses(String ip) throws Exception {
    assertThat(AddressGuard.isRestricted(InetAddress.getByName(ip))).as(ip).isFalse();
  }

  /**
   * IPv6 transition addresses that embed an IPv4 address: the embedded address is decoded and checked
   * (6to4, Teredo server and client, SIIT, NAT64 64:ff9b::/96); the local-use NAT64 prefix 64:ff9b:1::/48,
   * whose layout depends on a prefix length only its operator knows, is refused whole.
   */
  @ParameterizedTest(name = "{0} embeds {1}")
  @CsvSource({
      "2002:7f00:1::1, 127.0.0.1",                          // 6to4 2002:V4ADDR::/48
      "2002:a00:1:1::, 10.0.0.1",
      "2002:a9fe:a9fe::1, 169.254.169.254",
      "2001:0:4136:e378:8000:63bf:80ff:fffe, 127.0.0.1",    // Teredo: client address inverted in the last 32 bits
      "2001:0:4136:e378:8000:63bf:f5ff:fffe, 10.0.0.1",
      "2001:0:4136:e378:8000:63bf:5601:5601, 169.254.169.254",
      "2001:0:7f00:1:8000:63bf:f7f7:f7f7, 127.0.0.1",       // Teredo server 127.0.0.1, client 8.8.8.8
      "2001:0:a9fe:a9fe:8000:63bf:f7f7:f7f7, 169.254.169.254",
      "::ffff:0:7f00:1, 127.0.0.1",                         // SIIT IPv4-translated ::ffff:0:0:0/96
      "::ffff:0:a00:1, 10.0.0.1",
      "::ffff:0:a9fe:a9fe, 169.254.169.254",
      "64:ff9b::7f00:1, 127.0.0.1",                         // NAT64 well-known prefix 64:ff9b::/96
      "64:ff9b::a00:1, 10.0.0.1",
      "64:ff9b::a9fe:a9fe, 169.254.169.254",
      "64:ff9b:1::7f00:1, 127.0.0.1",                       // local-use NAT64 64:ff9b:1::/48, /96 layout
      "64:ff9b:1:7f00:0:100::, 127.0.0.1",                  // ... /48 layout (RFC 6052: octets around bit 64)
      "64:ff9b:1:a00:0:100::, 10.0.0.1",
      "64:ff9b:1:a9fe:0:a9fe::, 169.254.169.254",
      "64:ff9b:1::808:808, 8.8.8.8"})                       // ... refused whole, even for a public IPv4
  void shouldRefuseAnIpv6AddressWhenItEmbedsARestrictedIpv4(String ip, String embedded) throws Exception {
    InetAddress address = InetAddress.getByName(ip);

    assertThat(address).isInstanceOf(Inet6Address.class);
    assertThat(AddressGuard.isRestricted(address)).as(ip + " (embeds " + embedded + ")").isTrue();
    assertThatThrownBy(() -> AddressGuard.strict().check("example.org", address))
        .isInstanceOf(BlockedAddressException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"2002:808:808::1", "2001:0:4136:e378:8000:63bf:f7f7:f7f7", "::ffff:0:808:808",
      "64:ff9b::808:808", "64:ff9b::5db8:d70e"})
  void shouldAllowAnIpv6AddressWhenItEmbedsAPublicIpv4(String ip) throws Exception {
    assertThat(AddressGuard.isRestricted(InetAddress.getByName(ip))).as(ip).isFalse();
  }

  @Test
  void shouldAllowRestrictedAddressWhenCidrOrHostIsAllowlisted() throws Exception {
    AddressGuard guard = AddressGuard.allowing(List.of("127.0.0.0/8", "intranet.local"));

    assertThatCode(() -> guard.check("anything", InetAddress.getByName("127.0.0.2"))).doesNotThrowAnyException();
    assertThatCode(() -> guard.check("intranet.local", InetAddress.getByName("10.0.0.5"))).doesNotThrowAnyException();
    assertThatThrownBy(() -> guard.check("other", InetAddress.getByName("10.0.0.5")))
        .isInstanceOf(BlockedAddressException.class);
    assertThatThrownBy(() -> guard.check("other", InetAddress.getByName("::1")))
        .isInstanceOf(BlockedAddressException.class);
  }
}
