"use strict";
const Нуқта = class {
    constructor(х, у) {
        this.х = х;
        this.у = у;
    }
    сатр() {
        return "(" + this.х + ", " + this.у + ")";
    }
};
const Номдор = class Дохилӣ {
    худ() {
        return Дохилӣ;
    }
};

function Бошумор(Асос) {
    let шумора = 0;
    return class Шуморанда extends Асос {
        constructor(...а) {
            super(...а);
            шумора++;
        }
        static чанд() {
            return шумора;
        }
    };
}

const Шумурдашуда = Бошумор(Нуқта);
new Шумурдашуда(1, 2);
const н = new Шумурдашуда(3, 4);
console.log(н.сатр(), Шумурдашуда.чанд());
console.log(new Номдор().худ() === Номдор);

const асбобҳо = {
    Ҷамъ: class {
        ҳисоб(а, б) {
            return а + б;
        }
    },
};
const рӯйхат = [class { саломКардан() { return "салом"; } }];
console.log(new асбобҳо.Ҷамъ().ҳисоб(2, 3), new рӯйхат[0]().саломКардан());
console.log(typeof class {}, (class { static х = 7; }).х);
