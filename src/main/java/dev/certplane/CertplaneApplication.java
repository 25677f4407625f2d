package dev.certplane;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.modulith.Modulithic;

@SpringBootApplication
@ConfigurationPropertiesScan
@Modulithic(systemName = "Certplane")
public class CertplaneApplication {

    public static void main(String[] args) {
        SpringApplication.run(CertplaneApplication.class, args);
    }
}
