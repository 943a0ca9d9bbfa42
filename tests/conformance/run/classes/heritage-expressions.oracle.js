"use strict";
class Ҳайвон {
    constructor(ном) {
        this.ном = ном;
    }
    овоз() {
        return this.ном + " овоз медиҳад";
    }
}

function БоПарвоз(Асос) {
    return class extends Асос {
        парвоз() {
            return this.ном + " парвоз мекунад";
        }
    };
}

const китоб = { Асос: Ҳайвон, навъҳо: [Ҳайвон] };

class Парранда extends БоПарвоз(Ҳайвон) {}
class Гурба extends китоб.Асос {
    овоз() {
        return super.овоз() + ": мяу";
    }
}
class Саг extends китоб.навъҳо[0] {}
class Моҳӣ extends (true ? Ҳайвон : Object) {}

const п = new Парранда("Булбул");
console.log(п.овоз());
console.log(п.парвоз());
console.log(п instanceof Ҳайвон, Парранда.name);
console.log(new Гурба("Пишак").овоз());
console.log(new Саг("Саги ман").овоз(), new Саг("С") instanceof Ҳайвон);
console.log(new Моҳӣ("Моҳӣ").овоз());
console.log(БоПарвоз(Ҳайвон) === БоПарвоз(Ҳайвон));
