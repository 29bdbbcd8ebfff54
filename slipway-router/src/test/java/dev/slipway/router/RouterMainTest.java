package dev.slipway.router;

import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class RouterMainTest {
    @Test
    void nettyDefaults_turnOffJfrAndLeakDetection() {
        Properties p = new Properties();
        RouterMain.nettyDefaults(p);
        assertThat(p.getProperty("io.netty.jfr.enabled")).isEqualTo("false");
        assertThat(p.getProperty("io.netty.leakDetection.level")).isEqualTo("disabled");
    }

    @Test
    void nettyDefaults_keepWhatTheCommandLineGives() {
        Properties p = new Properties();
        p.setProperty("io.netty.jfr.enabled", "true");
        p.setProperty("io.netty.leakDetection.level", "paranoid");
        RouterMain.nettyDefaults(p);
        assertThat(p.getProperty("io.netty.jfr.enabled")).isEqualTo("true");
        assertThat(p.getProperty("io.netty.leakDetection.level")).isEqualTo("paranoid");
    }
}
