package dev.certplane.alerts.internal.notify;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Sends due alert notifications on one replica at a time, every poll interval. */
@Configuration(proxyBeanMethods = false)
class NotificationTasks {

    static final String TASK = "alert-notifications";

    @Bean
    RecurringTask<Void> alertNotificationTask(NotificationSender sender, NotificationSettings settings) {
        return Tasks.recurring(TASK, FixedDelay.of(settings.pollInterval()))
                .execute((instance, context) -> sender.runDue());
    }
}
