package org.bellwatch.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SiteDomainsTest {
  @Test
  void aNameIsCoveredAtOrUnderADomainButNotBesideIt() {
    SiteDomains d = new SiteDomains(List.of("school.lan"));
    d.learn("K12.Example.org.");

    assertThat(d.covers("school.lan")).isTrue();
    assertThat(d.covers("wpad.school.lan")).isTrue();
    assertThat(d.covers("a.b.k12.example.org")).isTrue();
    assertThat(d.covers("myschool.lan")).isFalse();
    assertThat(d.covers("example.org")).isFalse();
    assertThat(d.covers("lan")).isFalse();
    assertThat(d.size()).isEqualTo(2);
  }

  @Test
  void dhcpCannotMakeATopLevelDomainOrSomethingThatIsNoNameLocal() {
    SiteDomains d = new SiteDomains(List.of());

    assertThat(d.learn("com")).isFalse();
    assertThat(d.learn("school.lan other.lan")).isFalse();
    assertThat(d.learn("")).isFalse();
    assertThat(d.covers("wpad.com")).isFalse();
    assertThat(d.size()).isZero();
  }

  @Test
  void theLeastRecentlyHandedOutOfTooManyLearnedDomainsIsForgotten() {
    SiteDomains d = new SiteDomains(List.of());
    d.learn("school.lan");
    for (int i = 0; i < SiteDomains.MAX_LEARNED; i++) {
      d.learn("spray" + i + ".example");
      d.learn("school.lan"); // handed out with every real lease
    }

    assertThat(d.covers("wpad.school.lan")).isTrue();
    assertThat(d.covers("x.spray0.example")).isFalse();
    assertThat(d.size()).isEqualTo(SiteDomains.MAX_LEARNED);
  }
}
