package io.seismo.ingest.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

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
