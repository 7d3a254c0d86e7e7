package org.clinloop.approval;

import static org.assertj.core.api.Assertions.assertThat;

import org.clinloop.recommendation.Direction;
import org.junit.jupiter.api.Test;

class RejectionReasonTest {

    @Test
    void onlyAClinicalJudgementAgainstAChangeTeachesTheModelToHold() {
        for (RejectionReason r : RejectionReason.values()) {
            for (Direction proposed : Direction.values()) {
                Direction label = r.label(proposed);
                if (r == RejectionReason.CLINICAL_JUDGEMENT && proposed != Direction.HOLD) {
                    assertThat(label).isEqualTo(Direction.HOLD);
                } else {
                    assertThat(label).as("%s of a %s", r, proposed).isNull();
                }
                assertThat(r.labelNote(proposed)).isNotBlank();
            }
        }
        assertThat(RejectionReason.CLINICAL_JUDGEMENT.labelNote(Direction.HOLD)).contains("rejected a hold");
        assertThat(RejectionReason.DATA_QUALITY.labelNote(Direction.INCREASE)).contains("data quality");
    }

    @Test
    void aStepChangeHasTheDirectionOfItsSign() {
        assertThat(Direction.between(2, 3)).isEqualTo(Direction.INCREASE);
        assertThat(Direction.between(2, 4)).isEqualTo(Direction.INCREASE);
        assertThat(Direction.between(2, 2)).isEqualTo(Direction.HOLD);
        assertThat(Direction.between(2, 0)).isEqualTo(Direction.DECREASE);
    }
}
